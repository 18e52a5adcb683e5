/**
 * The start script's HTTP (partials/sh/http.sh.hbs, used by `download` and `probe_status`) with each
 * client it may find, curl, GNU wget and BusyBox wget, under dash and under mksh and posh (no
 * builtin printf): which answers are retried, what the error says, redirects, and which requests
 * go through a proxy (the download) and which never do (the readiness probe of localhost).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { toolboxPath, type Toolbox } from '../../src/agent-simulation/run-script.ts';
import { shellByName } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { tieredIt } from '../support/tier.ts';
import { type DownloadServer, EXPECTED_BINARY, FAKE_AGENTAPI_DIR, freePort, runStartScript, startDownloadServer } from '../support/start-script.ts';

let server: DownloadServer;
beforeAll(async () => {
  server = await startDownloadServer();
});
afterAll(async () => {
  await server.close();
});

interface Client {
  name: string;
  toolbox: Toolbox;
  env: Record<string, string>;
  needs: string;
}

const CLIENTS: Client[] = [
  { name: 'curl', toolbox: 'full', env: { AGENTAPI_KIT_HTTP_CLIENT: 'curl' }, needs: 'curl' },
  { name: 'GNU wget', toolbox: 'full', env: { AGENTAPI_KIT_HTTP_CLIENT: 'wget' }, needs: 'wget' },
  { name: 'BusyBox wget', toolbox: 'busybox', env: {}, needs: 'busybox' },
];

const TAGGED = `/download/v0.12.1/${EXPECTED_BINARY}`;

/** Every proxy variable a client might read, pointing at URL. */
function proxyEnv(url: string): Record<string, string> {
  return { http_proxy: url, HTTP_PROXY: url, https_proxy: url, HTTPS_PROXY: url, all_proxy: url, ALL_PROXY: url };
}

const TIER_SHELLS = ['dash', 'mksh', 'posh'].map(shellByName);

for (const shell of TIER_SHELLS) {
  const shellName = shell.name;
  for (const client of CLIENTS) {
    const skip = !shell.available || !hasCommand(client.needs);
    describe.skipIf(skip).concurrent(`download and probe under ${shellName} with ${client.name} (needs ${shell.argv[0]}, ${client.needs})`, () => {
      // a function: the server exists only once beforeAll has run
      const base = () => ({ shell, server, toolbox: client.toolbox, env: client.env });
      // npm test: each test under dash and one of mksh and posh in turn; CI's full step: all three.
      const it = tieredIt(shell, TIER_SHELLS);

      it('fails at once on a 404, with one request, a readable reason and nothing left behind', async ({ expect, onTestFinished }) => {
        const run = await runStartScript({ ...base(), ctx: { onTestFinished }, variables: { agentapi_version: 'v9.9.9' } });
        expect(run.result.exitCode).toBe(1);
        expect(run.result.stderr).toBe(`Error: could not download AgentAPI from ${run.downloadBase}/download/v9.9.9/${EXPECTED_BINARY} (HTTP 404)\n`);
        expect(run.downloads).toEqual([`/download/v9.9.9/${EXPECTED_BINARY}`]);
        expect(await readdir(join(run.home, '.local', 'bin'))).toEqual([]);
        expect(run.result.tmpLeftovers).toEqual([]);
      });

      it('retries a 503 and installs from the second answer', async ({ expect, onTestFinished }) => {
        const run = await runStartScript({ ...base(), ctx: { onTestFinished }, failDownloads: [503] });
        expect(run.result.stderr).toBe(`Warning: download attempt 1 of ${run.downloadBase}${TAGGED} failed (HTTP 503); retrying in 1s\n`);
        expect(run.result.exitCode).toBe(0);
        expect(run.downloads).toEqual([TAGGED, TAGGED]);
        expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
        expect(await run.read(join(run.home, '.local', 'bin', 'agentapi'))).toMatch(/^#!\/bin\/sh\n/);
        expect(run.result.tmpLeftovers).toEqual([]);
      });

      it('follows a redirect, as GitHub answers release downloads', async ({ expect, onTestFinished }) => {
        const run = await runStartScript({ ...base(), ctx: { onTestFinished }, downloadBase: (runBase) => `${runBase}/moved` });
        expect(run.result.stderr).toBe('');
        expect(run.result.exitCode).toBe(0);
        expect(run.downloads).toEqual([`/moved${TAGGED}`, TAGGED]);
      });

      it('downloads through the proxy the environment names, and probes localhost around it', async ({ expect, onTestFinished }) => {
        // The host does not resolve: only the proxy (the download server itself) can fetch from it.
        const run = await runStartScript({
          ...base(),
          ctx: { onTestFinished },
          downloadBase: (runBase) => runBase.replace(server.origin, 'http://agentapi-mirror.invalid'),
          env: { ...client.env, ...proxyEnv(server.origin) },
        });
        expect(run.result.stderr).toBe('');
        expect(run.result.exitCode).toBe(0);
        const proxied = server.proxied();
        expect(proxied).toContain(`${run.downloadBase}${TAGGED}`);
        // A probe through this proxy would have got a 404 and never seen AgentAPI ready.
        expect(proxied.filter((url) => url.includes(`:${run.port}/`))).toEqual([]);
      });

      it('finds AgentAPI ready past a proxy that points nowhere (the probe is local)', async ({ expect, onTestFinished }) => {
        const deadProxy = `http://127.0.0.1:${await freePort()}`;
        const run = await runStartScript({
          ...base(),
          ctx: { onTestFinished },
          variables: { install_agentapi: false },
          env: {
            ...client.env,
            ...proxyEnv(deadProxy),
            PATH: `${FAKE_AGENTAPI_DIR}:${toolboxPath(client.toolbox)}`,
            FAKE_AGENTAPI_NODE: process.execPath,
          },
        });
        expect(run.result.stderr).toBe('');
        expect(run.result.exitCode).toBe(0);
        expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
        expect(run.result.tmpLeftovers).toEqual([]);
      });
    });
  }
}

// Four attempts are 7 s of pauses: dash only.
const dash = shellByName('dash');
describe.concurrent('giving up on a server that never answers (dash)', () => {
  for (const client of CLIENTS) {
    it.skipIf(!dash.available || !hasCommand(client.needs))(
      `${client.name}: four attempts, then an error that says there was no answer (needs dash, ${client.needs})`,
      async ({ expect, onTestFinished }) => {
        const closed = `http://127.0.0.1:${await freePort()}/nowhere`;
        const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, toolbox: client.toolbox, env: client.env, downloadBase: () => closed });
        expect(run.result.exitCode).toBe(1);
        const lines = run.result.stderr.trimEnd().split('\n');
        expect(lines.slice(0, 3).map((line) => line.replace(/ \(no answer: .*\); /, ' (no answer: X); '))).toEqual(
          [1, 2, 3].map((attempt) => `Warning: download attempt ${attempt} of ${closed}${TAGGED} failed (no answer: X); retrying in ${2 ** (attempt - 1)}s`),
        );
        expect(lines[3]).toMatch(new RegExp(`^Error: could not download AgentAPI from ${closed.replace(/\./g, '\\.')}${TAGGED} \\(no answer: .*(refused|connect).*, after 4 attempts\\)$`, 'i'));
        expect(lines).toHaveLength(4);
        expect(run.result.tmpLeftovers).toEqual([]);
      },
    );
  }
});
