/** A config the user must fix: the CLI prints the message as one `Error:` line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The config file itself cannot be read (a wrong `--config`): a usage mistake, so the CLI adds the `--help` hint. */
export class ConfigUnreadableError extends ConfigError {
  override name = 'ConfigUnreadableError';
}
