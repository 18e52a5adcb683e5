import { Command, CommanderError } from 'commander';
import { ConfigError, ConfigUnreadableError } from '../config/errors.ts';
import { CliError, UsageError } from './errors.ts';

type Register = (program: Command) => void;

/**
 * Each command's module is imported only when it can be needed: `generate` should not pay for
 * loading the mocks and the harness (it is the command CI and pre-commit hooks run most).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  generate: async () => (await import('./commands/generate.ts')).registerGenerateCommand,
  mock: async () => (await import('./commands/mock.ts')).registerMockCommand,
  conformance: async () => (await import('./commands/conformance.ts')).registerConformanceCommand,
  demo: async () => (await import('./commands/demo.ts')).registerDemoCommand,
  'new-agent': async () => (await import('./commands/new-agent.ts')).registerNewAgentCommand,
  'terraform-env': async () => (await import('./commands/terraform-env.ts')).registerTerraformEnvCommand,
  export: async () => (await import('./commands/export.ts')).registerExportCommand,
  'check-registry': async () => (await import('./commands/check-registry.ts')).registerCheckRegistryCommand,
};

const USAGE_EXIT = 2;

/** The program with the command named in argv, or with every command when argv names none of them. */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('agentapi-kit')
    .description('Generate, test and prove the Coder agentapi Terraform module.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const named = argv[2];
  const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]!())(program);
  // Subcommands inherit exitOverride only when set before they are added; set it on all of them.
  for (const command of [program, ...allCommands(program)]) command.exitOverride().configureOutput({ outputError: writeUsageError });
  return program;
}

/** Commander's own usage errors read `error: ...`; every other error of the CLI reads `Error: ...`. */
function writeUsageError(text: string, write: (text: string) => void): void {
  write(text.replace(/^error: /, 'Error: '));
}

/** Runs the CLI and returns its exit code; every failure becomes one readable line, never a stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (help, version, or the usage problem). A command
    // that needs a subcommand and got none prints help as an error: that is a usage mistake too.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : USAGE_EXIT;
    return USAGE_EXIT;
  }
  if (error instanceof UsageError || error instanceof ConfigUnreadableError) {
    process.stderr.write(`Error: ${error.message}\n(run with --help for usage)\n`);
    return USAGE_EXIT;
  }
  if (error instanceof ConfigError) {
    // A config the user must fix is a usage mistake: exit 2, without the --help hint (it would not
    // help fix the file's content; an unreadable --config gets it above).
    process.stderr.write(`Error: ${error.message}\n`);
    return USAGE_EXIT;
  }
  if (error instanceof CliError) {
    process.stderr.write(`Error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Error: ${message}\n`);
  if (process.env.AGENTAPI_KIT_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}
