/**
 * The `telemetry` switch: OpenTelemetry spans and metrics following the GenAI semantic conventions.
 * `@opentelemetry/api` is an optional peer dependency, loaded with a dynamic `import()` only when a
 * switch is on, so nothing is loaded (and nothing changes) for programs that leave it off.
 */
import { ConfigError } from '../errors/errors.js';
import { redact } from '../internal/redact.js';
import type {
  OtelApi,
  OtelContext,
  OtelCounter,
  OtelHistogram,
  OtelMeter,
  OtelTracer,
} from './otel-types.js';

/** Settings of `telemetry` (on the client and on the agent). */
export interface TelemetrySettings {
  /** Where spans go. @default the tracer of OpenTelemetry's global tracer provider */
  tracer?: OtelTracer | undefined;
  /** Where metrics go. @default the meter of OpenTelemetry's global meter provider */
  meter?: OtelMeter | undefined;
  /**
   * Record content on spans: messages, reasoning, tool arguments and results (the conventions'
   * opt-in `gen_ai.input.messages`, `gen_ai.output.messages`, ...). The API key, anything shaped
   * like a key (`sk-...`, `Bearer ...`) and `secrets` are replaced by `****` in what is recorded.
   * @default false (only sizes, counts, timings and ids are recorded)
   */
  recordContent?: boolean | undefined;
  /** More strings to mask in recorded content (passwords, other services' tokens). */
  secrets?: readonly string[] | undefined;
  /** Set false to send spans only, no metrics. @default true */
  metrics?: boolean | undefined;
}

/** `telemetry: true` (global providers, no content) or the settings. */
export type TelemetryOptions = boolean | TelemetrySettings;

const MISSING_API =
  'needs the @opentelemetry/api package, which is not installed: add it (`npm install @opentelemetry/api`) ' +
  'together with an OpenTelemetry SDK that exports the spans (see docs/guides/observability.md), or turn telemetry off.';

let loading: Promise<OtelApi> | undefined;
let loaded: OtelApi | undefined;

/** Loads `@opentelemetry/api` once (a dynamic import: only programs that turn telemetry on load it). */
function loadOtelApi(field = 'telemetry'): Promise<OtelApi> {
  loading ??= import('@opentelemetry/api').then(
    (module) => {
      loaded = module as unknown as OtelApi;
      return loaded;
    },
    (error: unknown) => {
      loading = undefined;
      const reason = error instanceof Error ? ` (${error.message})` : '';
      throw new ConfigError(field, `\`${field}\` ${MISSING_API}${reason}`);
    },
  );
  return loading;
}

const SCOPE = '@plumb/core';

/**
 * A resolved `telemetry` option, shared by the requests of a client (or the runs of an agent).
 * Build it with `Telemetry.from(options)`; its `api` is available once `ready()` resolved.
 */
export class Telemetry {
  readonly recordContent: boolean;
  readonly metrics: boolean;
  readonly #tracer: OtelTracer | undefined;
  readonly #meter: OtelMeter | undefined;
  readonly #secrets: readonly string[];
  readonly #field: string;
  #api: OtelApi | undefined;
  #ready: Promise<this> | undefined;
  #instruments: Instruments | undefined;

  private constructor(settings: TelemetrySettings, field: string) {
    this.#tracer = settings.tracer;
    this.#meter = settings.meter;
    this.recordContent = settings.recordContent === true;
    this.metrics = settings.metrics !== false;
    this.#secrets = (settings.secrets ?? []).filter((secret) => secret.length >= 4);
    this.#field = field;
    this.#api = loaded;
    // Start loading at once, so that the first request rarely waits for it.
    if (loaded === undefined) this.preload();
  }

  /**
   * Validates a `telemetry` option: undefined/false gives undefined (telemetry off).
   * @throws ConfigError naming the field and what it expects.
   */
  static from(options: unknown, field = 'telemetry'): Telemetry | undefined {
    if (options === undefined || options === false) return undefined;
    if (options instanceof Telemetry) return options;
    if (options === true) return new Telemetry({}, field);
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new ConfigError(
        field,
        `Expected \`${field}\` to be true, false or { tracer?, meter?, recordContent?, secrets?, metrics? }, got ${describe(options)}.`,
      );
    }
    const settings = options as Record<string, unknown>;
    const known = ['tracer', 'meter', 'recordContent', 'secrets', 'metrics'];
    for (const key of Object.keys(settings)) {
      if (!known.includes(key))
        throw new ConfigError(
          `${field}.${key}`,
          `Unknown option \`${field}.${key}\`; expected one of ${known.join(', ')}.`,
        );
    }
    const tracer = settings.tracer as { startSpan?: unknown } | undefined;
    if (tracer !== undefined && typeof tracer?.startSpan !== 'function') {
      throw new ConfigError(
        `${field}.tracer`,
        `Expected \`${field}.tracer\` to be an OpenTelemetry Tracer (trace.getTracer('my-app')).`,
      );
    }
    const meter = settings.meter as { createHistogram?: unknown } | undefined;
    if (meter !== undefined && typeof meter?.createHistogram !== 'function') {
      throw new ConfigError(
        `${field}.meter`,
        `Expected \`${field}.meter\` to be an OpenTelemetry Meter (metrics.getMeter('my-app')).`,
      );
    }
    for (const flag of ['recordContent', 'metrics'] as const) {
      if (settings[flag] !== undefined && typeof settings[flag] !== 'boolean')
        throw new ConfigError(`${field}.${flag}`, `Expected \`${field}.${flag}\` to be true or false.`);
    }
    const secrets = settings.secrets;
    if (
      secrets !== undefined &&
      (!Array.isArray(secrets) || secrets.some((secret) => typeof secret !== 'string'))
    ) {
      throw new ConfigError(
        `${field}.secrets`,
        `Expected \`${field}.secrets\` to be an array of strings to mask.`,
      );
    }
    return new Telemetry(settings as TelemetrySettings, field);
  }

  /** Resolves once `@opentelemetry/api` is loaded (rejects with a ConfigError when it is missing). */
  ready(): Promise<this> {
    if (this.#api !== undefined) return Promise.resolve(this);
    this.#ready ??= loadOtelApi(this.#field).then((api) => {
      this.#api = api;
      return this;
    });
    return this.#ready;
  }

  /** Starts loading the API in the background (errors surface on the first traced call). */
  preload(): void {
    this.ready().catch(() => {});
  }

  /** The loaded API; call after `ready()`. */
  get api(): OtelApi {
    if (this.#api === undefined)
      throw new ConfigError(this.#field, `\`${this.#field}\`: call ready() first.`);
    return this.#api;
  }

  /** The loaded API, or undefined before `ready()` resolved. */
  get loadedApi(): OtelApi | undefined {
    return this.#api;
  }

  /** The tracer: the one passed in, else the global provider's (looked up each time: it may be registered late). */
  get tracer(): OtelTracer {
    return this.#tracer ?? this.api.trace.getTracer(SCOPE);
  }

  /** The metric instruments (created on first use). */
  get instruments(): Instruments {
    this.#instruments ??= createInstruments(this.#meter ?? this.api.metrics.getMeter(SCOPE));
    return this.#instruments;
  }

  /** The context a new span nests under: `parent` when given, else the active one. */
  parent(parent: OtelContext | undefined): OtelContext {
    return parent ?? this.api.context.active();
  }

  /** Masks the API key, key-shaped text and the configured secrets in recorded content. */
  redact(text: string, apiKey?: string | undefined): string {
    let out = redact(text, apiKey);
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join('****');
    return out;
  }

  /** Content as a JSON string, redacted; for the conventions' opt-in content attributes. */
  content(value: unknown, apiKey?: string | undefined): string {
    let text: string;
    try {
      text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    } catch {
      text = String(value);
    }
    return this.redact(text, apiKey);
  }
}

/** The metrics every traced request records. */
export interface Instruments {
  tokenUsage: OtelHistogram;
  duration: OtelHistogram;
  cost: OtelCounter;
  cacheTokens: OtelCounter;
}

function createInstruments(meter: OtelMeter): Instruments {
  return {
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: {
        explicitBucketBoundaries: [
          1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
        ],
      },
    }),
    duration: meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
        ],
      },
    }),
    cost: meter.createCounter('plumb.client.cost', {
      description:
        'Money spent on DeepSeek requests, from the published price table (attribute plumb.cost.currency).',
      unit: '{currency_unit}',
    }),
    cacheTokens: meter.createCounter('plumb.client.cache.tokens', {
      description:
        'Input tokens by DeepSeek context-cache result (attribute plumb.cache.result: hit or miss).',
      unit: '{token}',
    }),
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `'${value}'` : typeof value;
}
