/**
 * A CDKTF stack that uses the generated agentapi module through the typed AgentapiModule construct,
 * beside a null_resource that consumes the module's output.
 *
 * Run with `npx cdktf synth` (needs the cdktf CLI) or build it in-process as test/cdktf does.
 */
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { provider, resource } from '@cdktf/provider-null';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
// As a user's project imports it; inside this repository it is the package's self-reference ("exports").
import { AgentapiModule } from 'agentapi-kit/cdktf';

/** The generated module shipped in the agentapi-kit package, wherever npm put the package. */
export const PACKAGED_MODULE_DIR = join(dirname(createRequire(import.meta.url).resolve('agentapi-kit/package.json')), 'modules', 'agentapi');

/**
 * Terraform runs in the synthesized stack directory (`<outdir>/stacks/<stack>/`, outdir from `cdktf synth`
 * or CDKTF_OUTDIR) and resolves a relative module source from there, so the source is computed from
 * where the stack is written, not fixed.
 */
export function moduleSourceFrom(stackDir: string, moduleDir = PACKAGED_MODULE_DIR): string {
  const path = relative(resolve(stackDir), moduleDir).split('\\').join('/');
  return path.startsWith('../') ? path : `./${path}`;
}

export interface AgentapiStackOptions {
  /** Upload the conversation to Coder when the workspace stops. Off in this example (privacy first). */
  readonly taskLogSnapshot?: boolean;
  /** Where Terraform finds the module, relative to the synthesized stack directory (default: computed from the app's outdir). */
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
      source: options.moduleSource ?? moduleSourceFrom(join(App.of(scope).outdir, 'stacks', id)),
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
