/**
 * A typed CDKTF construct for the generated `agentapi` Terraform module.
 *
 * This directory is the only part of agentapi-kit that imports cdktf or constructs: both are optional
 * peer dependencies, so nothing else may import from here (test/cdktf checks it). Its props and
 * checks come from the interface model (src/module/).
 */
import type { Construct } from 'constructs';
import { TerraformHclModule } from 'cdktf';
import { toModuleVariables } from './check-props.ts';
import { type AgentapiModuleProps, DEFAULT_MODULE_SOURCE } from './props.ts';

/**
 * The generated `agentapi` module as a construct: typed props in, the module block out.
 *
 * ```ts
 * const agentapi = new AgentapiModule(stack, 'agentapi', { agentId, webAppSlug: 'claude', ..., taskLogSnapshot: false });
 * new SomeResource(stack, 'task', { appId: agentapi.taskAppId });
 * ```
 */
export class AgentapiModule extends TerraformHclModule {
  constructor(scope: Construct, id: string, props: AgentapiModuleProps) {
    const variables = toModuleVariables(props);
    super(scope, id, {
      source: props.source ?? DEFAULT_MODULE_SOURCE,
      version: props.version,
      skipAssetCreationFromLocalModules: props.skipAssetCreationFromLocalModules ?? true,
      providers: props.providers,
      dependsOn: props.dependsOn,
      variables,
    });
  }

  /** The web app's ID (output `task_app_id`): what `coder_ai_task.app_id` takes. Empty without the web app. */
  get taskAppId(): string {
    return this.getString('task_app_id');
  }
}
