import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { starterSpec } from '../../agents/starter-spec.ts';
import { CliError, UsageError } from '../errors.ts';

interface NewAgentOptions {
  out?: string;
}

const SLUG = /^[a-z][a-z0-9-]*[a-z0-9]$/;

export function registerNewAgentCommand(program: Command): void {
  program
    .command('new-agent')
    .description('Write a commented starting agent spec (default: ./<slug>.yaml) to generate an agent module from.')
    .argument('<slug>', 'the agent module\'s name, e.g. "goose": lowercase letters, digits and -')
    .option('--out <file>', 'where to write the spec')
    .action(async (slug: string, options: NewAgentOptions) => {
      if (!SLUG.test(slug)) throw new UsageError(`slug "${slug}" must be lowercase letters, digits and -, starting with a letter`);
      const path = options.out ?? `${slug}.yaml`;
      await writeNew(path, starterSpec(slug));
      process.stdout.write(`Wrote ${path}. Add it to "agents" in agentapi-kit.config.json, then run \`agentapi-kit generate\`.\n`);
    });
}

async function writeNew(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${path} already exists; choose another --out or remove it`);
    throw new CliError(`cannot write ${path} (${code ?? 'unknown error'})`, 2);
  }
}
