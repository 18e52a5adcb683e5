import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';

const dir = resolve(import.meta.dirname, '../../examples/agent-task-template');

interface Parsed {
  variable: Record<string, Array<{ default?: unknown }>>;
  module: Record<string, Array<Record<string, unknown>>>;
  resource: { coder_ai_task: Record<string, Array<{ app_id: string }>> };
}

describe('examples/agent-task-template', async () => {
  const parsed = (await parse('main.tf', await readFile(join(dir, 'main.tf'), 'utf8'))) as Parsed;
  const call = parsed.module.codex?.[0] ?? {};

  it('uses the generated codex module', () => {
    expect(call.source).toBe('../../modules/codex');
    expect(existsSync(join(dir, String(call.source), 'main.tf'))).toBe(true);
  });

  it('exposes task_log_snapshot to the template author and passes it through', () => {
    expect(parsed.variable.task_log_snapshot?.[0]?.default).toBe(true);
    expect(call.task_log_snapshot).toBe('${var.task_log_snapshot}');
  });

  it("makes the agent module's web app the task's app", () => {
    expect(parsed.resource.coder_ai_task.task?.[0]?.app_id).toBe('${module.codex[0].task_app_id}');
  });

  it('sets only inputs the codex module declares', async () => {
    const codex = (await parse('main.tf', await readFile(join(dir, String(call.source), 'main.tf'), 'utf8'))) as Parsed;
    const inputs = Object.keys(call).filter((name) => !['source', 'count', 'version'].includes(name));
    for (const name of inputs) expect(Object.keys(codex.variable), name).toContain(name);
  });
});
