/**
 * Vitest global setup: tests never run against stale output. Before any test file, the generated
 * modules/ must be what templates/ render now (`generate --check`); otherwise the run stops at
 * once, naming the drift, instead of testing yesterday's scripts.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

export default function checkGeneratedModules(): void {
  const check = spawnSync(process.execPath, [resolve(root, 'bin/agentapi-kit.mjs'), 'generate', '--check'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (check.status === 0) return;
  const said = `${check.stdout ?? ''}${check.stderr ?? ''}`.trim();
  throw new Error(`modules/ is not what templates/ render (generate --check exit ${check.status}); run \`node bin/agentapi-kit.mjs generate\` and commit both.\n${said}`);
}
