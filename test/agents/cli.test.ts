import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('new-agent and generate with agent specs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-new-agent-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes a starting spec that generates a module beside agentapi', async () => {
    const made = runCli(['new-agent', 'my-agent'], { cwd: dir });
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('Wrote my-agent.yaml');
    await writeFile(join(dir, 'agentapi-kit.config.json'), JSON.stringify({ agents: ['my-agent.yaml'] }));
    const generated = runCli(['generate'], { cwd: dir });
    expect(generated.status, generated.stderr).toBe(0);
    const mainTf = await readFile(join(dir, 'modules/my-agent/main.tf'), 'utf8');
    expect(mainTf).toContain('source = "../agentapi"');
    expect(mainTf).toContain('variable "task_log_snapshot" {');
    const check = runCli(['generate', '--check'], { cwd: dir });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain(join(dir, 'modules/my-agent'));
  }, 180_000);

  it('refuses to overwrite a spec and rejects a bad slug, exit 2', () => {
    const again = runCli(['new-agent', 'my-agent'], { cwd: dir });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^Error: my-agent\.yaml already exists/);
    const bad = runCli(['new-agent', 'My_Agent'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^Error: slug "My_Agent" must be lowercase/);
  });

  it('a bad spec in the config is one Error naming the field, exit 2, nothing written', async () => {
    const bad = join(dir, 'bad');
    await rm(bad, { recursive: true, force: true });
    await writeFile(join(dir, 'broken.yaml'), 'slug: broken\ndisplayName: Broken\n');
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ outDir: 'bad/agentapi', agents: ['broken.yaml'] }));
    const result = runCli(['generate', '--config', 'bad.json'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Error: invalid agent spec broken\.yaml:\n {2}description: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
