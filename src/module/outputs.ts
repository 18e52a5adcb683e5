import type { ModuleOutput } from './types.ts';

export const AGENTAPI_OUTPUTS: readonly ModuleOutput[] = [
  {
    name: 'task_app_id',
    value: 'local.web_app ? coder_app.agentapi_web[0].id : ""',
    description: "The web app's ID, what `coder_ai_task.app_id` takes; empty without the web app.",
  },
];
