import type { z } from 'zod';
import { RetryPolicySchema, type RetryPolicy, type RetryPolicyInput } from './retry.ts';
import type { PriceModel } from './routing.ts';

/** Tokens one call used, as an LLM worker's provider reports them. */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
}

/** What a worker may use while it runs: its own input, its attempt, a way to stop, the hub's clock. Nothing else. */
export interface WorkerContext {
  readonly runId: string;
  readonly step: string;
  readonly attempt: number;
  /** Aborted when the attempt times out, the run is cancelled, or the step is left. */
  readonly signal: AbortSignal;
  /** Waits on the hub's clock (virtual in tests), rejecting if `signal` aborts. */
  sleep(ms: number): Promise<void>;
  /** Adds to this attempt's cost (e.g. tokens or money); summed into the run's cost. */
  reportCost(amount: number): void;
  /**
   * Reports the tokens this attempt used (adds up over calls). A worker with a `price` that reports
   * no cost itself is charged from them (see `PriceModel`). Optional: contexts made outside the hub
   * may lack it, so call it as `ctx.reportUsage?.(usage)`.
   */
  reportUsage?(usage: TokenUsage): void;
}

export interface WorkerSpec<I extends z.ZodType, O extends z.ZodType> {
  /** Unique within a catalog; `[a-z0-9][a-z0-9._-]*`. */
  name: string;
  /** Plain language; the planner reads it to decide when to use this worker. */
  description: string;
  input: I;
  output: O;
  run(input: z.output<I>, ctx: WorkerContext): Promise<z.input<O>> | z.input<O>;
  /** Default retry policy for steps that use this worker. */
  retry?: RetryPolicyInput;
  /** Default per-attempt timeout in ms. */
  timeoutMs?: number;
  /** At most this many attempts of this worker at once, across runs in one hub. */
  concurrency?: number;
  /** What a call costs when the worker reports no cost itself; routers read it too. */
  price?: PriceModel;
  /** Its typical latency in ms, for routers (histories refine it). */
  latencyMs?: number;
  /**
   * The version of the worker's code (`'2'`, a git sha): what a results-cache key and a history
   * name the code by, so a new version never gets an old version's cached output.
   */
  version?: string;
  /**
   * Opt-in results cache (used where the hub runs with one, see src/queue/results-cache.ts): an
   * attempt with the same worker, version and input returns the stored output without a call.
   * Only successes are kept, for `ttlMs` (default 24 h). For pure, deterministic workers only.
   */
  cache?: boolean | { ttlMs?: number };
}

export interface Worker<I = unknown, O = unknown> {
  readonly kind: 'worker';
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<I>;
  readonly output: z.ZodType<O>;
  readonly run: (input: I, ctx: WorkerContext) => Promise<unknown> | unknown;
  readonly retry: RetryPolicy;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly price?: Readonly<PriceModel>;
  readonly latencyMs?: number;
  readonly version?: string;
  readonly cache?: boolean | Readonly<{ ttlMs?: number }>;
}

export type AnyWorker = Worker<any, any>;

/**
 * Whether `v` is a worker made by `defineWorker` (as a module of the user's exports it).
 *
 * @example
 * Object.values(await import('./workers.ts')).filter(isWorker)
 */
export function isWorker(v: unknown): v is AnyWorker {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'worker';
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Declares a worker: a spoke that turns a schema-checked input into a schema-checked output.
 *
 * @example
 * const upper = defineWorker({
 *   name: 'upper',
 *   description: 'Upper-cases a text.',
 *   input: z.object({ text: z.string() }),
 *   output: z.object({ text: z.string() }),
 *   run: ({ text }) => ({ text: text.toUpperCase() }),
 * });
 */
export function defineWorker<I extends z.ZodType, O extends z.ZodType>(
  spec: WorkerSpec<I, O>,
): Worker<z.output<I>, z.output<O>> {
  const problems: string[] = [];
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) problems.push(`name ${JSON.stringify(spec.name)} must match ${NAME}`);
  if (typeof spec.description !== 'string' || spec.description.trim() === '') problems.push('description must be a non-empty string');
  if (typeof spec.run !== 'function') problems.push('run must be a function');
  if (!spec.input || typeof (spec.input as any).safeParse !== 'function') problems.push('input must be a zod schema');
  if (!spec.output || typeof (spec.output as any).safeParse !== 'function') problems.push('output must be a zod schema');
  if (spec.timeoutMs !== undefined && !(spec.timeoutMs > 0)) problems.push('timeoutMs must be > 0');
  if (spec.concurrency !== undefined && !(Number.isInteger(spec.concurrency) && spec.concurrency > 0)) problems.push('concurrency must be a positive integer');
  problems.push(...priceProblems(spec.price));
  if (spec.latencyMs !== undefined && !(Number.isFinite(spec.latencyMs) && spec.latencyMs >= 0)) problems.push('latencyMs must be a number >= 0');
  if (spec.version !== undefined && !(typeof spec.version === 'string' && spec.version.trim() !== '')) problems.push('version must be a non-empty string');
  problems.push(...cacheProblems(spec.cache));
  const retry = RetryPolicySchema.safeParse(spec.retry ?? {});
  if (!retry.success) problems.push(...retry.error.issues.map((i) => `retry.${i.path.join('.')}: ${i.message}`));
  if (problems.length) throw new Error(`defineWorker(${JSON.stringify(spec.name)}): ${problems.join('; ')}`);
  return Object.freeze({
    kind: 'worker' as const,
    name: spec.name,
    description: spec.description,
    input: spec.input,
    output: spec.output,
    run: spec.run as Worker['run'],
    retry: retry.data!,
    timeoutMs: spec.timeoutMs,
    concurrency: spec.concurrency,
    ...(spec.price ? { price: Object.freeze({ ...spec.price }) } : {}),
    ...(spec.latencyMs !== undefined ? { latencyMs: spec.latencyMs } : {}),
    ...(spec.version !== undefined ? { version: spec.version } : {}),
    ...(spec.cache !== undefined ? { cache: typeof spec.cache === 'object' ? Object.freeze({ ...spec.cache }) : spec.cache } : {}),
  }) as unknown as Worker<z.output<I>, z.output<O>>;
}

/** What is wrong with a declared cache: not a boolean or `{ ttlMs }`, or a ttl that is not a positive number. */
function cacheProblems(cache: unknown): string[] {
  if (cache === undefined || typeof cache === 'boolean') return [];
  if (!cache || typeof cache !== 'object' || Array.isArray(cache)) return ['cache must be true, false or { ttlMs }'];
  const extra = Object.keys(cache).filter((k) => k !== 'ttlMs');
  if (extra.length) return [`cache.${extra[0]} is not a cache field (use ttlMs)`];
  const ttl = (cache as { ttlMs?: unknown }).ttlMs;
  return ttl === undefined || (typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0) ? [] : ['cache.ttlMs must be a number > 0'];
}

const PRICE_FIELDS = ['perCall', 'perInputToken', 'perOutputToken'] as const;

/** What is wrong with a declared price: not an object, an unknown field, or a field that is not a number >= 0. */
function priceProblems(price: unknown): string[] {
  if (price === undefined) return [];
  if (!price || typeof price !== 'object' || Array.isArray(price)) return ['price must be an object { perCall?, perInputToken?, perOutputToken? }'];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(price)) {
    if (!(PRICE_FIELDS as readonly string[]).includes(k)) problems.push(`price.${k} is not a price field (use ${PRICE_FIELDS.join(', ')})`);
    else if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) problems.push(`price.${k} must be a number >= 0`);
  }
  return problems;
}
