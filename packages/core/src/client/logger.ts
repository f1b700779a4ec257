/**
 * Logging through pino: silent unless the caller passes a logger, sets `logLevel`, or sets
 * PLUMB_LOG. The client never hands a secret to the logger (no request headers, no key), and a
 * logger created here also has pino redact the usual secret paths in case a caller logs through it.
 *
 * pino is an optional peer dependency, loaded with `import('pino')` the first time a logger is
 * created: most clients never log, and loading it costs ~20 ms of start-up (measured in
 * packages/bench, cold start). Records written while it loads are kept and written once it is in.
 */
import type { DestinationStream } from 'pino';
import { lazyModule } from '../internal/optional-module.js';

const loadPino = lazyModule(
  { name: 'pino', field: 'logLevel', feature: 'Logging (the `logLevel` option or PLUMB_LOG)' },
  // pino is CommonJS: Node exposes it as a named export, bundlers as the default one.
  () => import('pino').then((module) => module.pino ?? module.default),
);

/** The logger methods the client uses; any pino logger fits. */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  isLevelEnabled?(level: string): boolean;
}

/** A logger that becomes usable once something loads: the client awaits `ready` before its first request. */
export interface PendingLogger extends Logger {
  /** Resolves once the logger writes; rejects with a ConfigError naming `pino` when it is not installed. */
  readonly ready: Promise<void>;
}

/** The levels `logLevel` and PLUMB_LOG accept, with pino's numbers. */
const LOG_LEVELS = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
export type LogLevel = keyof typeof LOG_LEVELS;

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(LOG_LEVELS, value);
}

/**
 * Paths a logger created by plumb censors (pino's `redact`). pino redacts structured fields by
 * path; it cannot see a key inside a string, so error messages are scrubbed separately where they
 * are made (redact.ts), before any logger sees them.
 */
const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

/** One stderr logger per level, shared by every client. */
const sharedLoggers = new Map<string, PendingLogger>();

const ignore = (): void => {};
/** The default: logs nothing, and says so to `isLevelEnabled` so callers skip building log fields. */
const SILENT: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  isLevelEnabled: () => false,
});

type Method = 'debug' | 'info' | 'warn' | 'error';

/**
 * A pino logger at `level` writing JSON lines to stderr (or to `destination`), with secrets
 * redacted. It answers `isLevelEnabled` at once and writes as soon as pino has loaded; `ready`
 * tells when (and rejects, naming the package, when pino is not installed).
 */
export function createLogger(level: string, destination?: DestinationStream | undefined): PendingLogger {
  const threshold = isLogLevel(level) ? LOG_LEVELS[level] : LOG_LEVELS.info;
  let target: Logger | undefined;
  let queue: Array<[Method, object, string | undefined]> | undefined = [];
  const ready = loadPino().then((pino) => {
    target = pino(
      { name: 'plumb', level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
      destination ?? pino.destination(2),
    );
    for (const [method, object, message] of queue ?? []) target[method](object, message);
    queue = undefined;
  });
  ready.catch(() => {
    queue = undefined; // the requests that await `ready` report the missing package
  });
  const write =
    (method: Method) =>
    (object: object, message?: string): void => {
      if (LOG_LEVELS[method] < threshold) return;
      if (target !== undefined) target[method](object, message);
      else queue?.push([method, object, message]);
    };
  return {
    ready,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    isLevelEnabled: (name: string) => isLogLevel(name) && LOG_LEVELS[name] >= threshold,
  };
}

function envLevel(): string | undefined {
  if (typeof process === 'undefined' || process.env === undefined) return undefined;
  return process.env.PLUMB_LOG?.trim().toLowerCase() || undefined;
}

/**
 * The logger to use: the `logger` option, else one at the `logLevel` option, else one for
 * PLUMB_LOG=debug|info|warn|error, else a silent one. `logLevel: 'silent'` turns PLUMB_LOG off.
 */
export function resolveLogger(option: Logger | undefined, logLevel?: LogLevel | undefined): Logger {
  if (option) return option;
  const level = logLevel ?? envLevel();
  if (level === undefined || level === 'silent' || !isLogLevel(level)) return SILENT;
  let logger = sharedLoggers.get(level);
  if (logger === undefined) {
    logger = createLogger(level);
    sharedLoggers.set(level, logger);
  }
  return logger;
}

/** The `ready` promise of a logger that is still loading, else undefined. */
export function pendingReady(logger: Logger): Promise<void> | undefined {
  const ready = (logger as Partial<PendingLogger>).ready;
  return ready instanceof Promise ? ready : undefined;
}

/** Whether `level` is on (assumed on for loggers without `isLevelEnabled`). */
export function isEnabled(logger: Logger, level: 'debug' | 'info' | 'warn'): boolean {
  return logger.isLevelEnabled ? logger.isLevelEnabled(level) : true;
}
