/**
 * The snapshot contract's facts (route, format, truncation marker, payload limit, message count)
 * have one owner, src/contract: the module rendered with every one of them changed posts to the
 * changed route, cuts with the changed marker and keeps the changed count within the changed
 * limit, with jq and with awk; and no template or engine program writes the route, the format
 * or the marker as a literal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { templateContract } from '../../src/contract/index.ts';
import { CODERD_BODY_LIMIT_BYTES, DEFAULT_SNAPSHOT_MESSAGE_COUNT, SNAPSHOT_ROUTE, TRUNCATION_MARKER_PREFIX, TRUNCATION_MARKER_SUFFIX } from '../../src/contract/snapshot-api.ts';
import { agentapiTemplateContext } from '../../src/generate/module-specs.ts';
import { templatesRoot } from '../../src/generate/paths.ts';
import { renderModule } from '../../src/generate/render-module.ts';
import { findOnPath } from '../../src/agent-simulation/shells.ts';
import { startMockAgentapi, type MockAgentapi } from '../../src/mocks/agentapi/index.ts';

const CHANGED = {
  route: '/api/v9/agents/me/jobs/{task}/snap',
  format: 'agentapi-v9',
  markerPrefix: '[...cut here, kept ',
  markerSuffix: ' B]\n',
  messageCount: 3,
  limitBytes: 2048,
};

interface Upload {
  path: string;
  body: string;
}

let dir: string;
let script: string;
let agentapi: MockAgentapi;
let coderd: Server;
let coderdUrl: string;
const uploads: Upload[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentapi-kit-contract-facts-'));
  const [before, after] = CHANGED.route.split('{task}') as [string, string];
  const contract = {
    ...templateContract,
    snapshotRoute: CHANGED.route,
    snapshotRouteBeforeTask: before,
    snapshotRouteAfterTask: after,
    snapshotFormat: CHANGED.format,
    truncationMarkerPrefix: CHANGED.markerPrefix,
    truncationMarkerSuffix: CHANGED.markerSuffix,
  };
  const config = configSchema.parse({ snapshot: { messageCount: CHANGED.messageCount, payloadLimitBytes: CHANGED.limitBytes } });
  const files = await renderModule({ templateDir: join(templatesRoot, 'agentapi'), context: { ...agentapiTemplateContext(config), contract } });
  script = join(dir, 'agentapi-shutdown.sh');
  writeFileSync(script, files.find((file) => file.path === 'scripts/agentapi-shutdown.sh')!.content, { mode: 0o755 });
  agentapi = await startMockAgentapi({});
  coderd = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      uploads.push({ path: req.url ?? '', body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => coderd.listen(0, '127.0.0.1', resolve));
  coderdUrl = `http://127.0.0.1:${(coderd.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await agentapi?.close();
  await new Promise((resolve) => coderd?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** The whole stop script under dash with curl, the JSON engine forced; resolves with its output. */
function runStop(engine: 'jq' | 'awk'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('dash', [script], {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        AGENTAPI_KIT_JSON_ENGINE: engine,
        ARG_TASK_ID: TASK,
        ARG_AGENTAPI_PORT: String(agentapi.port),
        ARG_TERMINATE_TIMEOUT: '0',
        ARG_STATE_SAVE_WAIT: '0',
        CODER_AGENT_URL: coderdUrl,
        CODER_AGENT_TOKEN: '99999999-8888-4777-8666-555555555555',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(output));
  });
}

const engines = (['jq', 'awk'] as const).filter((engine) => findOnPath(engine) !== undefined && findOnPath('curl') !== undefined && findOnPath('dash') !== undefined);

const TASK = '11111111-2222-4333-8444-555555555555';
const short = (count: number) => Array.from({ length: count }, (_, id) => ({ role: id % 2 === 0 ? ('user' as const) : ('agent' as const), content: `message ${id}` }));

describe.each(engines)('the module rendered with every contract fact changed (%s; needs dash and curl)', (engine) => {
  it('posts to the changed route with the changed format, keeping the changed count of messages', async () => {
    agentapi.setMessages(short(6));
    uploads.length = 0;
    const output = await runStop(engine);
    expect(uploads, output).toHaveLength(1);
    const [upload] = uploads as [Upload];
    expect(upload.path).toBe(`${CHANGED.route.replace('{task}', TASK)}?format=${CHANGED.format}`);
    const messages = (JSON.parse(upload.body) as { messages: Array<{ content: string }> }).messages;
    expect(messages.map((message) => message.content)).toEqual(['message 3', 'message 4', 'message 5']);
  });

  it('cuts a last message over the changed limit with the changed marker, keeping its tail', async () => {
    agentapi.setMessages([...short(5), { role: 'agent', content: `start ${'x'.repeat(4000)} the end` }]);
    uploads.length = 0;
    const output = await runStop(engine);
    expect(uploads, output).toHaveLength(1);
    const [upload] = uploads as [Upload];
    const messages = (JSON.parse(upload.body) as { messages: Array<{ content: string }> }).messages;
    const last = messages.at(-1)!.content;
    expect(last).toMatch(/^\[\.\.\.cut here, kept \d+ B\]\n/);
    expect(last.endsWith(' the end')).toBe(true);
    expect(Buffer.byteLength(upload.body)).toBeLessThanOrEqual(CHANGED.limitBytes);
    expect(Buffer.byteLength(upload.body)).toBeGreaterThan(CHANGED.limitBytes - 200);
  });
});

describe('no template writes a contract fact as a literal', () => {
  const templates = readdirSync(templatesRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  const [routeStart] = SNAPSHOT_ROUTE.split('{task}') as [string];
  const facts = [
    ['the snapshot route', routeStart],
    ['the route\'s tail', '/log-snapshot'],
    ['the format query', 'format=agentapi'],
    ['the marker', TRUNCATION_MARKER_PREFIX.trim()],
    ['the marker\'s tail', TRUNCATION_MARKER_SUFFIX.replace('\n', '')],
  ] as const;

  it.each(facts)('%s', (_name, literal) => {
    expect(templates.filter((file) => readFileSync(file, 'utf8').includes(literal))).toEqual([]);
  });

  // The payload limit is a number (65536 is also 16-bit arithmetic in the script), so a scan proves
  // nothing: the run above with the limit changed to 2048 shows the scripts take it from the config.
  it('the config default message count and payload limit are the contract\'s', () => {
    expect(configSchema.parse({}).snapshot.payloadLimitBytes).toBe(CODERD_BODY_LIMIT_BYTES);
    expect(configSchema.parse({}).snapshot.messageCount).toBe(DEFAULT_SNAPSHOT_MESSAGE_COUNT);
  });
});
