import { PlumbError } from '@plumb/core';

/** A recorder or store problem: a bad option, a missing driver, an unreadable store (a `PlumbError`). */
export class RecorderError extends PlumbError {}
