/** A mistake in how the command was called (bad flag, bad value): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the user can act on, reported as one `Error: ...` line with its own exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
  }
}
