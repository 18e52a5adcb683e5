// The stand-in provider's process entry: registers tsx (resolved from this package, wherever it is
// installed) and runs the TypeScript server. The mirror's #!/bin/sh launcher execs node on this file.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
