// The package as `npm pack` ships it, installed into an empty project outside this repository
// (test/support/setup/install-tarball.ts), and every command the README documents run from there, through
// the installed bin with AGENTAPI_KIT_REQUIRE_DIST=1 (dist/ as shipped, never the tsx fallback), the
// library imported by plain Node 20 with no loader. Run with `npm run test:package`.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ServingCli, startServingCli } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';
import { HAS_CHROMIUM, launchChromium, waitForText } from '../support/browser.ts';
import { userPath } from '../support/setup/install-tarball.ts';

const REPO = resolve(import.meta.dirname, '../..');
const packed = inject('packed');
const PROJECT = packed.project;
const INSTALLED = join(PROJECT, 'node_modules', 'agentapi-kit');
const BIN = join(PROJECT, 'node_modules', '.bin', 'agentapi-kit');
/** The run's temporary files (conformance caches its script bodies there), removed with the project. */
const TMP = join(packed.project, '..', 'tmp');
mkdirSync(TMP, { recursive: true });
/** The user's environment: no repository tools on PATH, no loader in NODE_OPTIONS, dist/ or nothing. */
const ENV: NodeJS.ProcessEnv = { ...process.env, PATH: userPath(), NODE_OPTIONS: '', NO_COLOR: '1', AGENTAPI_KIT_REQUIRE_DIST: '1', TMPDIR: TMP };

function inProject(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: options.cwd ?? PROJECT, env: { ...ENV, ...options.env }, encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
}

/** `npx agentapi-kit ...` in the project, as the README writes it. */
function npx(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return inProject('npx', ['--no-install', 'agentapi-kit', ...args], options);
}

/** An ES module run by plain `node` from the project (no TypeScript loader anywhere). */
function nodeModule(name: string, source: string): SpawnSyncReturns<string> {
  const file = join(PROJECT, name);
  writeFileSync(file, source);
  return inProject(process.execPath, [file]);
}

describe('the tarball', () => {
  const paths = packed.files.map((file) => file.path);

  it('holds the bin, the compiled CLI and library with their .d.ts, templates, modules, the page assets and the CI recipe', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/agentapi-kit.mjs',
        'bin/dist.mjs',
        'dist/cli/main.js',
        'dist/cli/inputs.json',
        ...['mocks/index', 'snapshot/policy', 'cdktf/index'].flatMap((entry) => [`dist/lib/${entry}.js`, `dist/lib/${entry}.d.ts`]),
        'templates/agentapi/main.tf.hbs',
        'modules/agentapi/main.tf',
        'modules/agentapi/scripts/agentapi-shutdown.sh',
        'src/mocks/coderd/web/assets/task-page.html',
        'src/mocks/coderd/web/assets/main.js',
        'src/terraform/provider/launch.mjs',
        'examples/ci/install-tools.sh',
        'examples/ci/github-actions.yml',
      ]),
    );
  });

  it('holds nothing from the test suite, the benchmark, CI or the repository\'s own config', () => {
    const foreign = paths.filter((path) => /^(test|bench|docs|\.ci|\.test-results|node_modules)\//.test(path) || /\.(test\.ts|bats)$/.test(path) || /(^|\/)(fixtures|__snapshots__)\//.test(path) || /^(vitest\.|tsconfig)/.test(path));
    expect(foreign).toEqual([]);
    expect(paths.filter((path) => path.startsWith('examples/') && !path.startsWith('examples/ci/'))).toEqual([]);
  });

  it('stays small: under 1 MiB packed and 4 MiB unpacked (README, "Set-up", gives the measured size)', () => {
    expect(packed.size).toBeLessThan(1024 * 1024);
    expect(packed.unpackedSize).toBeLessThan(4 * 1024 * 1024);
  });

  it('installs with production dependencies only: no devDependency and no optional peer in the project', () => {
    const manifest = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    // Also dependencies of dependencies, so present anyway: esbuild (tsx's), @types/node (protobufjs's).
    const devOnly = Object.keys(manifest.devDependencies).filter((name) => !['esbuild', '@types/node'].includes(name));
    expect(devOnly).toEqual(expect.arrayContaining(['vitest', 'typescript', 'playwright-core', 'bats', 'cdktf']));
    expect(devOnly.filter((name) => existsSync(join(PROJECT, 'node_modules', name)))).toEqual([]);
    expect(existsSync(join(PROJECT, 'node_modules', 'cdktf'))).toBe(false);
  });
});

describe('the installed CLI (node_modules/.bin/agentapi-kit on the shipped dist/)', () => {
  it('--help lists the commands, and the bin runs dist/ (AGENTAPI_KIT_REQUIRE_DIST=1 forbids the tsx fallback)', () => {
    const result = npx(['--help']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const command of ['generate', 'mock', 'conformance', 'new-agent', 'terraform-env', 'demo']) expect(result.stdout).toContain(command);
  });

  it('generate without a config renders modules/agentapi/ in the project on the built-in defaults; --check then passes', () => {
    const work = mkdtempSync(join(PROJECT, 'no-config-'));
    const result = npx(['generate'], { cwd: work });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Wrote 5 file\(s\): .*\/modules\/agentapi\n/);
    expect(readFileSync(join(work, 'modules/agentapi/main.tf'), 'utf8')).toMatch(/^# Code generated by agentapi-kit from templates\/agentapi\/main\.tf\.hbs\. DO NOT EDIT\./);
    // The same bytes as the module the package ships, which this repository commits.
    expect(readFileSync(join(work, 'modules/agentapi/main.tf'), 'utf8')).toBe(readFileSync(join(INSTALLED, 'modules/agentapi/main.tf'), 'utf8'));
    const check = npx(['generate', '--check'], { cwd: work });
    expect([check.status, check.stdout]).toEqual([0, `Up to date: ${join(work, 'modules/agentapi')}\n`]);
  });

  it('new-agent writes a starting spec; generate --config with it renders the agentapi module in variable task-ID mode and the agent module beside it', () => {
    const work = mkdtempSync(join(PROJECT, 'with-config-'));
    const spec = npx(['new-agent', 'my-agent'], { cwd: work });
    expect(spec.status, spec.stderr).toBe(0);
    expect(readFileSync(join(work, 'my-agent.yaml'), 'utf8')).toMatch(/^#/);
    writeFileSync(join(work, 'kit.json'), JSON.stringify({ outDir: 'infra/agentapi', taskIdSource: 'variable', agents: ['my-agent.yaml'], defaults: { taskLogSnapshot: false } }));
    const result = npx(['generate', '--config', 'kit.json'], { cwd: work });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const main = readFileSync(join(work, 'infra/agentapi/main.tf'), 'utf8');
    expect(main).toMatch(/variable "task_id" \{/);
    expect(main).toMatch(/variable "task_log_snapshot" \{[^}]*default\s+= false/);
    expect(readFileSync(join(work, 'infra/my-agent/main.tf'), 'utf8')).toMatch(/module "agentapi" \{\n\s+source\s+= "\.\.\/agentapi"/);
    expect(npx(['new-agent', 'my-agent'], { cwd: work }).status).toBe(2); // refuses to overwrite
  });

  it('mock agentapi: first line {"url"}, then AgentAPI\'s /status and /messages; SIGTERM exits 0', async () => {
    const agentapi = await startServingCli(['mock', 'agentapi', '--port', '0', '--preset', 'short'], { bin: BIN, cwd: PROJECT, env: ENV });
    try {
      expect(Object.keys(agentapi.first)).toEqual(['url']);
      expect((await fetch(`${agentapi.first.url}/status`)).status).toBe(200);
      const messages = (await (await fetch(`${agentapi.first.url}/messages`)).json()) as { messages: unknown[] };
      expect(messages.messages.length).toBeGreaterThan(0);
    } finally {
      expect(await agentapi.stop()).toEqual({ code: 0, stderr: '' });
    }
  });

  it.skipIf(!hasCommand('terraform'))('terraform-env, then terraform init and validate on the generated module (offline stand-in provider; needs terraform)', () => {
    const work = mkdtempSync(join(PROJECT, 'terraform-'));
    expect(npx(['generate'], { cwd: work }).status).toBe(0);
    const env = npx(['terraform-env', '--dir', join(work, 'tf-env')], { cwd: work });
    expect(env.status, env.stderr).toBe(0);
    const script = `${env.stdout}\ncd modules/agentapi && terraform init -input=false -backend=false >/dev/null && terraform validate -no-color`;
    const result = inProject('sh', ['-c', script], { cwd: work, timeoutMs: 300_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Success! The configuration is valid.');
    expect(result.status).toBe(0);
  });

  it.skipIf(!hasCommand('dash'))('conformance --shells dash: a real run of the shipped module\'s shutdown script, every scenario asked for passes (needs dash)', () => {
    const scenarios = ['happy-path', 'coderd-429-then-ok', 'agentapi-500'];
    const result = npx(['conformance', '--shells', 'dash', '--toolboxes', 'full', '--scenarios', scenarios.join(','), '--json'], { timeoutMs: 300_000 });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { passed: number; failed: number; results: Array<{ scenario: string; shell: string }> };
    expect([report.passed, report.failed]).toEqual([scenarios.length, 0]);
    expect(report.results.map((run) => `${run.shell} ${run.scenario}`).sort()).toEqual(scenarios.map((name) => `dash ${name}`).sort());
  });

  it.skipIf(!hasCommand('dash'))('conformance --module on the module generate wrote into the project (needs dash)', () => {
    const work = mkdtempSync(join(PROJECT, 'own-module-'));
    expect(npx(['generate'], { cwd: work }).status).toBe(0);
    const result = npx(['conformance', '--module', 'modules/agentapi', '--shells', 'dash', '--toolboxes', 'full', '--scenarios', 'happy-path', '--json'], { cwd: work, timeoutMs: 300_000 });
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { passed: number; failed: number }).failed).toBe(0);
    expect((JSON.parse(result.stdout) as { passed: number }).passed).toBe(1);
  });

  it('a usage mistake is one Error line and exit 2, as in the repository', () => {
    const result = npx(['generate', '--no-such-flag']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("Error: unknown option '--no-such-flag'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('demo: the story in the terminal, two stops posting the snapshot, exit 0', () => {
    const result = npx(['demo'], { timeoutMs: 180_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.match(/Log snapshot posted successfully/g)?.length).toBe(2);
  });
});

describe.skipIf(!HAS_CHROMIUM)('the installed CLI\'s task page in headless Chromium (needs /usr/bin/chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('mock coderd --live-agentapi: taskPageUrl shows the live conversation, not an empty page', async () => {
    const agentapi = await startServingCli(['mock', 'agentapi', '--port', '0', '--preset', 'short'], { bin: BIN, cwd: PROJECT, env: ENV });
    const coderd = await startServingCli(['mock', 'coderd', '--port', '0', '--live-agentapi', agentapi.first.url as string], { bin: BIN, cwd: PROJECT, env: ENV });
    const page = await browser.newPage();
    try {
      await page.goto(coderd.first.taskPageUrl as string);
      await waitForText(page, '#state-badge', 'Live');
      expect(await page.locator('.message').count()).toBeGreaterThan(0);
    } finally {
      await page.close();
      expect(await coderd.stop()).toEqual({ code: 0, stderr: '' });
      expect(await agentapi.stop()).toEqual({ code: 0, stderr: '' });
    }
  });

  it('export: archives the live task of a mock coderd (credentials from the environment), and its transcript opens from disk in Chromium', async () => {
    const agentapi = await startServingCli(['mock', 'agentapi', '--port', '0', '--preset', 'short'], { bin: BIN, cwd: PROJECT, env: ENV });
    const coderd = await startServingCli(['mock', 'coderd', '--port', '0', '--live-agentapi', agentapi.first.url as string], { bin: BIN, cwd: PROJECT, env: ENV });
    const out = join(PROJECT, 'task-archive');
    const page = await browser.newPage();
    try {
      const env = { CODER_URL: coderd.first.url as string, CODER_SESSION_TOKEN: coderd.first.userToken as string };
      const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolvePromise) => {
        const child = spawn(BIN, ['export', '--out', out], { cwd: PROJECT, env: { ...ENV, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Exported 1 task to');
      await page.goto(pathToFileURL(join(out, 'tasks', `${coderd.first.taskId as string}.html`)).href);
      expect(await page.locator('.message').count()).toBeGreaterThan(0);
    } finally {
      await page.close();
      expect(await coderd.stop()).toEqual({ code: 0, stderr: '' });
      expect(await agentapi.stop()).toEqual({ code: 0, stderr: '' });
    }
  });

  it('demo --web: the printed page follows the story to the paused task and its snapshot; SIGTERM exits 0', async () => {
    const demo: ServingCli = await startServingCli(['demo', '--web', '--pace', '1'], { bin: BIN, cwd: PROJECT, env: ENV });
    const page = await browser.newPage();
    try {
      expect(Object.keys(demo.first)).toEqual(['url']);
      await page.goto(demo.first.url as string);
      await waitForText(page, '#state-badge', 'Paused · snapshot');
      expect(await page.locator('.message').count()).toBeGreaterThan(0);
    } finally {
      await page.close();
      expect(await demo.stop()).toEqual({ code: 0, stderr: '' });
    }
  });
});

describe('the library from plain Node 20, no loader: agentapi-kit/mocks and agentapi-kit/snapshot', () => {
  it('agentapi-kit/mocks: a mock coderd serves its task page, a mock AgentAPI its conversation', () => {
    const result = nodeModule(
      'mocks.mjs',
      `import { startMockAgentapi, startMockCoderd, taskPageUrl } from 'agentapi-kit/mocks';
const coderd = await startMockCoderd({ createDefaultTask: true });
const agentapi = await startMockAgentapi({ preset: 'short' });
const task = coderd.defaultTask;
const page = await fetch(taskPageUrl(coderd.url, task.user, task.taskId));
const messages = await (await fetch(agentapi.url + '/messages')).json();
console.log(JSON.stringify({ status: page.status, page: (await page.text()).includes('src="/web/main.js"'), messages: messages.messages.length > 0 }));
await coderd.close();
await agentapi.close();
`,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ status: 200, page: true, messages: true });
  });

  it('agentapi-kit/snapshot: buildSnapshotPayload keeps the newest messages under the limit', () => {
    const result = nodeModule(
      'snapshot.mjs',
      `import { buildSnapshotPayload } from 'agentapi-kit/snapshot';
const body = JSON.stringify({ messages: [1, 2, 3].map((id) => ({ id, content: 'm' + id, role: 'user', time: '2026-01-01T00:00:00Z' })) });
const result = buildSnapshotPayload(body, { messageCount: 2, limitBytes: 65536 });
console.log(JSON.stringify({ status: result.status, ids: JSON.parse(result.payload).messages.map((m) => m.id) }));
`,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ status: 'ok', ids: [2, 3] });
  });

  it('agentapi-kit/cdktf without its optional peers fails naming cdktf, and only that entry point needs them', () => {
    const result = nodeModule('cdktf-without-peers.mjs', `await import('agentapi-kit/cdktf').catch((error) => console.log(error.code, error.message.split(' imported from')[0]));\n`);
    expect(result.stdout).toBe("ERR_MODULE_NOT_FOUND Cannot find package 'cdktf'\n");
  });
});

describe('agentapi-kit/cdktf with its optional peers installed in the project (npm install cdktf constructs)', () => {
  beforeAll(() => {
    const install = inProject('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', 'cdktf@^0.21.0', 'constructs@^10.0.0'], { timeoutMs: 300_000 });
    if (install.status !== 0) throw new Error(`npm install cdktf constructs failed:\n${install.stdout}${install.stderr}`);
  });

  it('synthesizes a stack with AgentapiModule: the module block carries the props as snake_case inputs', () => {
    const result = nodeModule(
      'cdktf.mjs',
      `import { TerraformStack, Testing } from 'cdktf';
import { AgentapiModule } from 'agentapi-kit/cdktf';
const stack = new TerraformStack(Testing.app(), 'stack');
new AgentapiModule(stack, 'agentapi', { source: './modules/agentapi', agentId: 'agent', webAppIcon: '/icon/claude.svg', webAppDisplayName: 'Claude', webAppSlug: 'claude', cliAppDisplayName: 'Claude CLI', cliAppSlug: 'claude-cli', startScript: '#!/bin/sh\\n', moduleDirName: '.claude-module', taskLogSnapshot: false });
console.log(Testing.synth(stack));
`,
    );
    expect(result.stderr).toBe('');
    const module = (JSON.parse(result.stdout) as { module: Record<string, Record<string, unknown>> }).module.agentapi;
    expect(module).toMatchObject({ source: './modules/agentapi', agent_id: 'agent', web_app_slug: 'claude', task_log_snapshot: false });
  });

  it('the three entry points type-check from their .d.ts in a TypeScript project (strict, NodeNext, library files checked too)', () => {
    const dir = join(PROJECT, 'typed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(REPO, 'node_modules/@types')] }, files: ['use.ts'] }),
    );
    writeFileSync(
      join(dir, 'use.ts'),
      `import { startMockCoderd, type MockCoderd } from 'agentapi-kit/mocks';
import { buildSnapshotPayload } from 'agentapi-kit/snapshot';
import { AgentapiModule, type AgentapiModuleProps } from 'agentapi-kit/cdktf';
export const start: () => Promise<MockCoderd> = () => startMockCoderd({ port: 0 });
export const status: 'ok' | string = buildSnapshotPayload('{}', { messageCount: 1, limitBytes: 1024 }).status;
export type Props = AgentapiModuleProps;
export const construct: typeof AgentapiModule = AgentapiModule;
// Real types, not any: each of these is an error the compiler must report.
// @ts-expect-error port is a number
startMockCoderd({ port: 'eighty' });
// @ts-expect-error limitBytes is required
buildSnapshotPayload('{}', { messageCount: 1 });
`,
    );
    const result = inProject(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir]);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('examples/ci/github-actions.yml from the installed package: its install step, with apk and apt-get recorded', () => {
  const workflow = readFileSync(join(INSTALLED, 'examples/ci/github-actions.yml'), 'utf8');
  const step = /- name: Install shells and tools\n\s+run: (.+)\n/.exec(workflow)?.[1] ?? '';
  const recorders = mkdtempSync(join(tmpdir(), 'agentapi-kit-package-recorders-'));
  afterAll(() => rmSync(recorders, { recursive: true, force: true }));

  it.each(['alpine', 'debian'])('%s: the step runs the shipped script from the project root and installs curl, wget, jq and the shells', (family) => {
    const bin = join(recorders, family);
    mkdirSync(bin);
    const log = join(bin, 'calls');
    for (const tool of ['apk', 'apt-get', 'node']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >>"${log}"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    expect(step).toContain('node_modules/agentapi-kit/');
    const command = step.replace('${{ matrix.family }}', family);
    // PATH is the recorders alone: the step's `sh` is named by its path here, the script uses builtins.
    const result = spawnSync('/bin/sh', ['-c', command.replace(/^sh /, '/bin/sh ')], { cwd: PROJECT, env: { PATH: bin }, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const calls = readFileSync(log, 'utf8');
    const install = calls.split('\n').find((line) => / add | install /.test(line)) ?? '';
    expect(install.split(/\s+/)).toEqual(expect.arrayContaining(['curl', 'wget', 'jq', 'dash', 'bash', 'mksh', 'yash', 'zsh']));
  });

  it('the copy users get is the one this repository tests', () => {
    expect(workflow).toBe(readFileSync(join(REPO, 'examples/ci/github-actions.yml'), 'utf8'));
    expect(readFileSync(join(INSTALLED, 'examples/ci/install-tools.sh'), 'utf8')).toBe(readFileSync(join(REPO, 'examples/ci/install-tools.sh'), 'utf8'));
  });
});
