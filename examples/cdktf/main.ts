/**
 * A CDKTF stack that uses the generated agentapi module through the typed AgentapiModule construct,
 * beside a null_resource that consumes the module's output.
 *
 * Run with `npx cdktf synth` (needs the cdktf CLI) or build it in-process as test/cdktf does.
 */
import { pathToFileURL } from 'node:url';
import { provider, resource } from '@cdktf/provider-null';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AgentapiModule } from '../../src/cdktf/index.ts';

/**
 * `cdktf synth` writes `cdktf.out/stacks/<stack>/cdk.tf.json` and Terraform runs there, so a relative
 * module source is resolved from that directory: five levels up is the repository root.
 */
export const MODULE_SOURCE_FROM_STACK_DIR = '../../../../../modules/agentapi';

export interface AgentapiStackOptions {
  /** Upload the conversation to Coder when the workspace stops. Off in this example (privacy first). */
  readonly taskLogSnapshot?: boolean;
  /** Where Terraform finds the module, relative to the synthesized stack directory. */
  readonly moduleSource?: string;
}

export class AgentapiStack extends TerraformStack {
  readonly agentapi: AgentapiModule;

  constructor(scope: Construct, id: string, options: AgentapiStackOptions = {}) {
    super(scope, id);

    // The Coder agent normally comes from a coder_agent resource in the same template; here it is an input.
    const agentId = new TerraformVariable(this, 'agent_id', {
      type: 'string',
      description: 'The ID of the Coder agent that runs AgentAPI.',
    });

    this.agentapi = new AgentapiModule(this, 'agentapi', {
      source: options.moduleSource ?? MODULE_SOURCE_FROM_STACK_DIR,
      agentId: agentId.stringValue,
      webAppSlug: 'claude',
      webAppDisplayName: 'Claude Code',
      webAppIcon: '/icon/claude.svg',
      cliApp: true,
      cliAppSlug: 'claude-cli',
      cliAppDisplayName: 'Claude CLI',
      moduleDirName: '.claude-module',
      folder: '/home/coder/project',
      installScript: 'npm install -g @anthropic-ai/claude-code',
      startScript: '#!/bin/sh\nexec agentapi server --port 3284 -- claude\n',
      agentapiPort: 3284,
      taskLogSnapshot: options.taskLogSnapshot ?? false,
    });

    new provider.NullProvider(this, 'null');
    // Anything that needs the task app (coder_ai_task.app_id in a real template) takes taskAppId.
    new resource.Resource(this, 'task_app', {
      triggers: { task_app_id: this.agentapi.taskAppId },
    });
    new TerraformOutput(this, 'task_app_id', { value: this.agentapi.taskAppId });
  }
}

/** Builds the app the cdktf CLI synthesizes (its outdir and context come from the CLI's environment). */
export function buildApp(): App {
  const app = new App();
  new AgentapiStack(app, 'agentapi');
  return app;
}

// Synthesize only when run as a program (`cdktf synth` runs `npx tsx main.ts`), not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildApp().synth();
}
