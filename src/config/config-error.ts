/** A configuration value that cannot be used. The message names the variable or YAML path and what is expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
