/**
 * The engines' status numbers have one owner, src/contract: the module rendered with every number
 * moved by 10 prints and reads the moved numbers, so no template writes a status of its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { templateContract } from '../../src/contract/index.ts';
import { agentapiTemplateContext } from '../../src/generate/module-specs.ts';
import { templatesRoot } from '../../src/generate/paths.ts';
import { renderModule } from '../../src/generate/render-module.ts';
import { findOnPath } from '../../src/agent-simulation/shells.ts';

const SHIFT = 10;
const shifted = Object.fromEntries(Object.entries(templateContract.engineStatus).map(([name, code]) => [name, code + SHIFT])) as Record<
  keyof typeof templateContract.engineStatus,
  number
>;

let dir: string;
let script: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentapi-kit-engine-status-'));
  const context = { ...agentapiTemplateContext(defaultConfig), contract: { ...templateContract, engineStatus: shifted } };
  const files = await renderModule({ templateDir: join(templatesRoot, 'agentapi'), context });
  script = join(dir, 'agentapi-shutdown.sh');
  writeFileSync(script, files.find((file) => file.path === 'scripts/agentapi-shutdown.sh')!.content);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sources the script under dash and runs `command` with the body in $dir/body; returns the meta line and what it printed. */
function run(engine: 'jq' | 'awk', body: string, command: string, env: NodeJS.ProcessEnv = {}): { meta: string; output: string } {
  const bodyFile = join(dir, 'body');
  const metaFile = join(dir, 'meta');
  writeFileSync(bodyFile, body);
  rmSync(metaFile, { force: true });
  const driver = `. "$1" && SNAPSHOT_MESSAGE_COUNT=10 && SNAPSHOT_LIMIT_BYTES=65536 && _tmp_dir=$2 && ${command}`;
  const result = spawnSync('dash', ['-c', driver, 'sh', script, dir], {
    env: { ...process.env, AGENTAPI_KIT_SOURCE_ONLY: '1', AGENTAPI_KIT_JSON_ENGINE: engine, ...env },
    encoding: 'utf8',
  });
  let meta = '';
  try {
    meta = readFileSync(metaFile, 'utf8');
  } catch {
    // no meta line
  }
  return { meta, output: result.stdout + result.stderr };
}

const wholeBody = (engine: 'jq' | 'awk', body: string) => run(engine, body, 'build_payload "$2/meta" <"$2/body"');

const engines = (['jq', 'awk'] as const).filter((engine) => findOnPath(engine) !== undefined);

describe.each(engines)('engine status numbers from the contract (%s)', (engine) => {
  it.each([
    ['ok', '{"messages":[{"id":0,"content":"hi","role":"user","time":"t"}]}'],
    ['empty', '{"messages":[]}'],
    ['noMessages', '{}'],
    ['notArray', '{"messages":1}'],
  ] as const)('%s', (status, body) => {
    expect(wholeBody(engine, body).meta).toMatch(new RegExp(`^\\[${shifted[status]},`));
  });

  it('windowFallback: the last message alone is larger than the window', () => {
    const body = JSON.stringify({ messages: [{ id: 0, content: 'x'.repeat(5000), role: 'user', time: 't' }] });
    const result = run(engine, body, `_body_bytes=${body.length} && choose_json_engine && window_size && build_payload_window "$2/body" "$2/meta"`, { AGENTAPI_KIT_WINDOW_BYTES: '1000' });
    expect(result.meta).toMatch(new RegExp(`^\\[${shifted.windowFallback},`));
  });
});

describe('the shell reads the contract numbers', () => {
  it.each([
    ['notJson', /is not JSON/],
    ['noMessages', /has no messages,/],
    ['notArray', /not a list/],
    ['empty', /no messages yet/],
    ['tooLarge', /final message alone does not fit/],
  ] as const)('explain_meta on %s', (status, said) => {
    const result = run('awk', '', `_meta_status=${shifted[status]} _meta_total=1 _meta_dropped=0 _meta_truncated=0 && explain_meta`);
    expect(result.output).toMatch(said);
  });

  it('the window fallback reruns the whole body', () => {
    const body = JSON.stringify({ messages: [{ id: 0, content: 'x'.repeat(5000), role: 'user', time: 't' }] });
    const result = run('awk', body, `_body_bytes=${body.length} && payload_for_file "$2/body" "$2/meta" >/dev/null`, { AGENTAPI_KIT_WINDOW_BYTES: '1000' });
    expect(result.meta).toMatch(new RegExp(`^\\[${shifted.ok},1,1,`));
  });
});
