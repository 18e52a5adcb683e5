// The stand-in provider's process entry: registers tsx (resolved from this package, wherever it is
// installed) and runs the TypeScript server. The mirror's #!/bin/sh launcher execs node on this file.
// Terraform shows a plugin's stderr only in its debug log, so a failure before the handshake is also
// appended to $AGENTAPI_KIT_STAND_IN_LOG when that is set.
import { appendFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

function report(what) {
  const line = `${new Date().toISOString()} stand-in provider pid ${process.pid}: ${what}\n`;
  process.stderr.write(line);
  if (process.env.AGENTAPI_KIT_STAND_IN_LOG) appendFileSync(process.env.AGENTAPI_KIT_STAND_IN_LOG, line);
}

process.on('uncaughtException', (error) => {
  report(`uncaught: ${error?.stack ?? error}`);
  process.exit(1);
});
process.on('unhandledRejection', (error) => report(`unhandled rejection: ${error?.stack ?? error}`));
process.on('exit', (code) => {
  if (code !== 0) report(`exit ${code}`);
});

register();
await import('./main.ts');
