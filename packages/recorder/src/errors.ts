/** A recorder or store problem: a bad option, a missing driver, an unreadable store. */
export class RecorderError extends Error {
  override readonly name: string = 'RecorderError';
}
