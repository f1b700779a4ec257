/** A mistake in the command line or the agent module, printed without a stack. */
export class CliError extends Error {
  override name = 'CliError';
}
