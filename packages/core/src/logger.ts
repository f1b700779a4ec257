/**
 * Logging through pino: silent unless the caller passes a logger or sets PLUMB_LOG. The client
 * never hands a secret to the logger (no request headers, no key), and a logger created here also
 * redacts the usual secret paths in case a caller logs through it.
 */
import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';

type PinoModule = typeof import('pino');
const requireModule = createRequire(import.meta.url);
let pinoModule: PinoModule | undefined;

// pino is loaded on first use only: most clients never log, and loading it costs ~20 ms of
// start-up (measured in packages/bench, cold start).
function loadPino(): PinoModule {
  pinoModule ??= requireModule('pino') as PinoModule;
  return pinoModule;
}

/** The logger methods the client uses; any pino logger fits. */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  isLevelEnabled?(level: string): boolean;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** Paths a logger created by plumb censors. */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

/** One stderr logger per PLUMB_LOG level, shared by every client. */
const envLoggers = new Map<string, Logger>();

const ignore = (): void => {};
/** The default: logs nothing, and says so to `isLevelEnabled` so callers skip building log fields. */
const SILENT: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  isLevelEnabled: () => false,
});

/** A pino logger at `level` writing JSON lines to stderr (or to `destination`), with secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream | undefined): Logger {
  const { pino } = loadPino();
  return pino(
    { name: 'plumb', level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination ?? pino.destination(2),
  );
}

/** The logger to use: the option, else one for PLUMB_LOG=debug|info|warn|error, else a silent one. */
export function resolveLogger(option: Logger | undefined): Logger {
  if (option) return option;
  const level = typeof process === 'undefined' ? undefined : process.env.PLUMB_LOG?.trim().toLowerCase();
  if (level && LEVELS.has(level)) {
    let logger = envLoggers.get(level);
    if (logger === undefined) {
      logger = createLogger(level);
      envLoggers.set(level, logger);
    }
    return logger;
  }
  return SILENT;
}

/** Whether `level` is on (assumed on for loggers without `isLevelEnabled`). */
export function isEnabled(logger: Logger, level: 'debug' | 'info' | 'warn'): boolean {
  return logger.isLevelEnabled ? logger.isLevelEnabled(level) : true;
}
