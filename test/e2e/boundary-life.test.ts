/**
 * The whole life of a task workspace with boundary on, through both coder_script bodies rendered
 * from main.tf: the start body sets boundary up (the coder subcommand way, with the stand-in coder
 * of test/fixtures/boundary) and the user's start script runs AgentAPI through
 * $AGENTAPI_BOUNDARY_PREFIX; the stop body posts the snapshot to the mock coderd and stops that
 * AgentAPI (its PID survived the exec chain wrapper -> coder-no-caps boundary -> agentapi).
 * Until main.tf has the boundary variables, the inputs go in as ARG_* (test/support/boundary.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { EXAMPLE_REQUIRED_VARIABLES } from '../../src/agent-simulation/coder-script.ts';
import { runShutdown, type Toolbox } from '../../src/agent-simulation/run-script.ts';
import { startScenarioCoderd, type ScenarioCoderd } from '../../src/conformance/scenario-mocks.ts';
import { LOG } from '../../src/conformance/expectations.ts';
import { shellByName, type ShellSpec } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { type DownloadServer, hasExited, isAlive, MODULE_DIR_NAME, startDownloadServer } from '../support/start-script.ts';
import { runBoundaryStart, type ScriptServer, START_THROUGH_PREFIX, startInstallScriptServer } from '../support/boundary.ts';
import { E2E_TEST_TIMEOUT_MS } from '../support/matrix.ts';

let downloads: DownloadServer;
let scripts: ScriptServer;
beforeAll(async () => {
  [downloads, scripts] = await Promise.all([startDownloadServer(), startInstallScriptServer()]);
});
afterAll(async () => {
  await Promise.all([downloads.close(), scripts.close()]);
});

// curl downloads AgentAPI and posts the snapshot.
const LIVES: Array<{ shell: ShellSpec; toolbox: Toolbox; needs: string[] }> = [
  { shell: shellByName('dash'), toolbox: 'full', needs: ['dash', 'curl'] },
  // No jq: the stop side builds the snapshot with awk.
  { shell: shellByName('posh'), toolbox: 'no-jq', needs: ['posh', 'curl'] },
];

describe.concurrent('a task workspace with boundary on, start to stop', () => {
  for (const life of LIVES) {
    it.skipIf(!life.needs.every(hasCommand))(
      `under ${life.shell.name} with the ${life.toolbox} toolbox (needs ${life.needs.join(', ')})`,
      async ({ expect, onTestFinished }) => {
        const coderd: ScenarioCoderd = await startScenarioCoderd({});
        onTestFinished(() => coderd.close());

        const start = await runBoundaryStart({
          ctx: { onTestFinished },
          shell: life.shell,
          toolbox: life.toolbox,
          downloads,
          scripts,
          settings: { enable: true },
          startScript: START_THROUGH_PREFIX,
        });
        expect(start.result.stderr).toBe('');
        expect(start.result.exitCode).toBe(0);
        expect(start.result.stdout).toContain(`Boundary wrapper configured: ${start.wrapper}`);
        expect(start.result.stdout).toContain(`AgentAPI is ready on port ${start.port}`);
        // AgentAPI came up through the wrapper: boundary (coder-no-caps) ran it, and it saw the prefix.
        expect((await start.calls()).at(-1)).toMatch(/^coder-no-caps \[boundary\] \[--\] \[agentapi\] \[server\]/);
        expect(start.record?.env.AGENTAPI_BOUNDARY_PREFIX).toBe(start.wrapper);
        const pid = start.record?.pid as number;
        expect(isAlive(pid)).toBe(true);

        const stop = await runShutdown({
          shell: life.shell,
          toolbox: life.toolbox,
          home: start.home,
          variables: { ...EXAMPLE_REQUIRED_VARIABLES, module_dir_name: MODULE_DIR_NAME, agentapi_port: start.port },
          data: { taskEnabled: true, taskId: coderd.taskId },
          env: { CODER_AGENT_URL: coderd.url, CODER_AGENT_TOKEN: coderd.token },
        });
        expect(stop.exitCode).toBe(0);
        expect(stop.stdout).toMatch(LOG.posted);
        expect(stop.stdout).toContain(`Sending SIGTERM to AgentAPI (pid ${pid})`);
        expect(stop.stdout).toMatch(LOG.complete);
        expect(coderd.snapshotPosts()).toHaveLength(1);
        expect(coderd.storedSnapshot(coderd.taskId)?.rawBody).toContain('Hello from the fake agent');
        expect(await hasExited(pid)).toBe(true);
      },
      E2E_TEST_TIMEOUT_MS,
    );
  }
});
