/**
 * The rendered shutdown script against a tiny local HTTP server (AgentAPI's /messages and
 * coderd's log-snapshot route on one port), with the real curl and GNU wget: what is posted,
 * how, and what the run costs in processes and argv exposure (strace). The full scenario matrix
 * over every shell lives in the conformance harness (src/conformance/, test/e2e/).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotPayload } from '../../src/snapshot/policy.ts';
import { hasCommand } from '../support/commands.ts';
import { SHUTDOWN_SCRIPT } from '../support/shutdown-engines.ts';

const TASK = '0b9c7f3e-5a4d-4e21-9c1f-2d3e4f5a6b7c';
const TOKEN = '5f0e2a1c-8d7b-4c6a-9e3f-1a2b3c4d5e6f';
const BODY = readFileSync(join(import.meta.dirname, 'fixtures/pretty.json'));
const EXPECTED = buildSnapshotPayload(BODY.toString('utf8'), { messageCount: 10, limitBytes: 65536 }).payload;

interface Post {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let port = 0;
let posts: Post[] = [];
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'agentapi-kit-shutdown-http-'));
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'GET' && request.url === '/messages') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
        return;
      }
      posts.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function scriptEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: scratch,
    TMPDIR: scratch,
    ARG_TASK_ID: TASK,
    ARG_AGENTAPI_PORT: String(port),
    ARG_PID_FILE_PATH: join(scratch, 'no-agentapi.pid'),
    CODER_AGENT_URL: `http://127.0.0.1:${port}/`,
    CODER_AGENT_TOKEN: TOKEN,
    ...extra,
  };
}

/** Runs the script file under dash (async: the server lives in this process). */
function runScript(argv: string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on right now (the OS does not hand it out again at once). */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

const straceWorks = hasCommand('strace') && spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', 'true']).status === 0;

const matrix = [
  { engine: 'jq', client: 'curl', needs: ['jq', 'curl'] },
  { engine: 'awk', client: 'curl', needs: ['awk', 'curl'] },
  { engine: 'jq', client: 'wget', needs: ['jq', 'wget'] },
  { engine: 'awk', client: 'wget', needs: ['awk', 'wget'] },
] as const;

describe.each(matrix)('dash, $engine, $client', ({ engine, client, needs }) => {
  const missing = needs.filter((tool) => !hasCommand(tool));
  const env = () => scriptEnv({ AGENTAPI_KIT_JSON_ENGINE: engine, AGENTAPI_KIT_HTTP_CLIENT: client });

  it.skipIf(missing.length > 0)(`posts the reference payload with the token header${missing.length > 0 ? ` (${missing.join(', ')} not installed)` : ''}`, async () => {
    posts = [];
    const run = await runScript(['dash', SHUTDOWN_SCRIPT], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Retrieved 12 messages for log snapshot');
    expect(run.stdout).toContain('Log snapshot posted successfully');
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post?.url).toBe(`/api/v2/workspaceagents/me/tasks/${TASK}/log-snapshot?format=agentapi`);
    expect(post?.headers['coder-session-token']).toBe(TOKEN);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.body).toBe(EXPECTED);
  });

  it.skipIf(missing.length > 0)(`fetches /messages from localhost past proxy variables that point nowhere${missing.length > 0 ? ` (${missing.join(', ')} not installed)` : ''}`, async () => {
    posts = [];
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const proxies = { http_proxy: dead, HTTP_PROXY: dead, https_proxy: dead, HTTPS_PROXY: dead, all_proxy: dead, ALL_PROXY: dead };
    // coderd (127.0.0.1) is reached the usual way, through no_proxy; localhost is not in it, so only
    // the fetch's own proxy bypass gets it past the dead proxy.
    const run = await runScript(['dash', SHUTDOWN_SCRIPT], { ...env(), ...proxies, no_proxy: '127.0.0.1', NO_PROXY: '127.0.0.1' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Retrieved 12 messages for log snapshot');
    expect(posts).toHaveLength(1);
  });

  it.skipIf(missing.length > 0 || !straceWorks)(
    `keeps the token out of every argv and spawns at most ${client === 'curl' ? 5 : 8} processes${straceWorks ? '' : ' (strace is not installed or cannot trace)'}`,
    async () => {
      posts = [];
      const trace = join(scratch, `strace-${engine}-${client}`);
      const run = await runScript(['strace', '-f', '-qq', '-s', '4096', '-e', 'trace=execve,clone,clone3,fork,vfork', '-o', trace, 'dash', SHUTDOWN_SCRIPT], env());
      expect(run.code, run.stderr).toBe(0);
      expect(posts).toHaveLength(1);
      const lines = readFileSync(trace, 'utf8').split('\n').filter((line) => line !== '');
      expect(lines.filter((line) => line.includes(TOKEN))).toEqual([]);
      const pids = new Set(lines.map((line) => line.split(/\s/, 1)[0]));
      // mktemp, fetch, engine, post, rm; wget adds `wget --version` and a timeout(1) per request
      expect(pids.size - 1).toBeLessThanOrEqual(client === 'curl' ? 5 : 8);
    },
  );
});
