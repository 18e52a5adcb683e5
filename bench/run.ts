// `npm run bench`: every speed and resource target of the project, measured and printed as tables.
import { benchGenerate } from './generate.ts';

async function main(): Promise<void> {
  console.log('## generate\n');
  console.log(await benchGenerate());
  const only = process.argv[2];
  if (only === 'generate') return;
  const { shutdownBenchTable } = await import('./shutdown.ts');
  console.log('\n## shutdown script\n');
  console.log(await shutdownBenchTable());
}

main().catch((error: unknown) => {
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
