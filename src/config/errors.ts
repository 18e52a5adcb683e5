/** A config the user must fix: the CLI prints the message as one `Error:` line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
