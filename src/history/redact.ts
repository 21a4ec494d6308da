import { globalRegistry } from 'zod';
import type { z } from 'zod';
import type { AnyWorker } from '../../machines/worker.ts';
import { createScrubber, REDACTED, type Scrubber, type SecretPattern } from '../../transformers/secrets.ts';
import { deepEqual } from '../util/deep-equal.ts';

/**
 * Redaction of history events before they are written: histories keep inputs, outputs and error
 * messages verbatim, and those can hold credentials. Three sources of secrets:
 *
 * - schema fields marked `.meta({ secret: true })` (zod v4, global registry) in a worker's input
 *   or output schema: `step.started.input` and `step.succeeded.output` of that worker get
 *   `"[redacted]"` there (and `run.started.input`, given the workflow's input schema);
 * - the values of secret environment variables (names matching
 *   /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i with values of 8+ characters, and the names
 *   listed in `ORCHESTAI_SECRET_ENV`), replaced wherever they occur in a string of the event;
 * - credential shapes (`sk-...`, `Bearer ...`, `AKIA...`, `ghp_...`, `?api-key=...`, see
 *   `SECRET_PATTERNS`) and extra patterns.
 *
 * Pure (no I/O) and cheap: one precompiled RegExp, only the data-carrying fields are walked, and an
 * event with nothing to redact comes back as the same object. The input is never mutated.
 */

export interface RedactorOptions {
  /** The workflow whose runs are redacted: its steps name the worker of each step (for outputs and failures). */
  workflow?: { readonly steps: ReadonlyArray<{ readonly id: string; readonly worker?: AnyWorker; readonly candidates?: readonly AnyWorker[] }> };
  /** Workers besides the workflow's, found by name in `step.started`. */
  workers?: Iterable<AnyWorker>;
  /** The workflow's input schema: its secret fields are redacted in `run.started.input`. */
  input?: z.ZodType;
  /** Where secret values are read from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Names of variables whose values are secret, besides the name rule and `ORCHESTAI_SECRET_ENV`. */
  secretEnv?: Iterable<string>;
  /** Which names are secret by default; `false` for only the listed ones. Default `SECRET_ENV_NAME`. */
  envName?: RegExp | false;
  /** Values of variables matched by name are secret from this length on (default 8). */
  minEnvLength?: number;
  /** Literal secret values. */
  secrets?: Iterable<string>;
  /** Extra credential shapes: RegExp sources, RegExps or `SecretPattern`s (see `createScrubber`). */
  patterns?: ReadonlyArray<string | RegExp | SecretPattern>;
  /** Keep the built-in credential shapes (default true). */
  defaultPatterns?: boolean;
}

export interface Redactor {
  /** The event with its secrets replaced by `"[redacted]"`: the same object when nothing changed, else a copy. */
  redactEvent<E extends { readonly type: string }>(event: E): E;
  /** A text with secret values and credential shapes replaced. */
  redactText(text: string): string;
}

let firstEnv: Record<string, string | undefined> | undefined;

/**
 * The environment as it was when this process first redacted a run (a plain copy: reading
 * `process.env` costs about 1 µs a variable, too much for every run). Variables set later are not
 * seen; pass `env` (or `secrets`) to a run's `redact` option for those.
 */
export function processEnvAtFirstRun(): Record<string, string | undefined> {
  return (firstEnv ??= { ...process.env });
}

/** Environment variable names whose values are secret by default. */
export const SECRET_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

/** Explicitly named variables shorter than this are ignored: replacing every "ab" would wreck every string. */
const MIN_NAMED_LENGTH = 4;

/**
 * The secret values of an environment: variables whose name matches `envName` with a value of at
 * least `minEnvLength` characters, and those named in `ORCHESTAI_SECRET_ENV` (comma-separated) or
 * `secretEnv` (at least 4 characters).
 *
 * @example
 * secretEnvValues({ OPENAI_API_KEY: 'sk-1234567890', HOME: '/home/ana', ORCHESTAI_SECRET_ENV: 'DB_URL', DB_URL: 'postgres://u:p@h/db' })
 * // ['sk-1234567890', 'postgres://u:p@h/db']
 */
export function secretEnvValues(
  env: Record<string, string | undefined> = process.env,
  options: Pick<RedactorOptions, 'secretEnv' | 'envName' | 'minEnvLength'> = {},
): string[] {
  // The default rules over one environment object (the process's copy, run after run): computed once.
  const defaults = options.secretEnv === undefined && options.envName === undefined && options.minEnvLength === undefined && env !== process.env;
  const known = defaults ? defaultValuesByEnv.get(env) : undefined;
  if (known) return known;
  const values = scanEnv(env, options);
  if (defaults) defaultValuesByEnv.set(env, values);
  return values;
}

const defaultValuesByEnv = new WeakMap<object, string[]>();

function scanEnv(env: Record<string, string | undefined>, options: Pick<RedactorOptions, 'secretEnv' | 'envName' | 'minEnvLength'>): string[] {
  const rule = options.envName === undefined ? SECRET_ENV_NAME : options.envName;
  const min = options.minEnvLength ?? 8;
  const named = new Set<string>(options.secretEnv ?? []);
  for (const n of (env.ORCHESTAI_SECRET_ENV ?? '').split(',')) if (n.trim()) named.add(n.trim());
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' || name === 'ORCHESTAI_SECRET_ENV') continue;
    if (rule) rule.lastIndex = 0; // a /g or /y rule keeps state between tests
    if (named.has(name) ? value.length >= MIN_NAMED_LENGTH : rule !== false && value.length >= min && rule.test(name)) values.add(value);
  }
  return [...values];
}

// ---- secret paths of a zod v4 schema ------------------------------------------------------------

/** Where the secrets of a value are; only nodes that lead to a secret are kept. */
interface Plan {
  secret: boolean;
  /** Object properties by key. */
  props: Map<string, Plan> | null;
  /** Other object keys (catchall, record values). */
  rest: Plan | null;
  /** Array elements (and tuple rest). */
  items: Plan | null;
  /** Tuple positions. */
  tuple: Array<Plan | null> | null;
  /** Alternatives applied in turn (wrappers, unions, pipes, intersections, lazy). */
  alts: Plan[] | null;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch', 'success', 'promise']);

function isSecretSchema(schema: unknown): boolean {
  try {
    return (globalRegistry.get(schema as any) as { secret?: unknown } | undefined)?.secret === true;
  } catch {
    return false;
  }
}

/**
 * The plan for a schema, or null when it has no secret field. Builds a node per schema (cycles of
 * `z.lazy` and getter shapes become cycles of nodes), then keeps only nodes that reach a secret.
 */
function secretPlan(schema: unknown): Plan | null {
  if (schema === null || typeof schema !== 'object') return null;
  if (planCache.has(schema)) return planCache.get(schema)!;
  const plan = buildPlan(schema);
  planCache.set(schema, plan);
  return plan;
}

/** Schemas are immutable (`.meta()` returns a new one), so a plan is computed once per schema. */
const planCache = new WeakMap<object, Plan | null>();

function buildPlan(schema: unknown): Plan | null {
  const memo = new Map<unknown, Plan>();
  const root = build(schema, memo);
  // Which nodes reach a secret: a fixpoint, since the graph may have cycles.
  const live = new Set<Plan>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of memo.values()) {
      if (live.has(n)) continue;
      if (n.secret || children(n).some((c) => live.has(c))) {
        live.add(n);
        changed = true;
      }
    }
  }
  const keep = (n: Plan | null) => (n && live.has(n) ? n : null);
  for (const n of memo.values()) {
    if (n.secret) {
      n.props = n.rest = n.items = n.tuple = n.alts = null;
      continue;
    }
    if (n.props) {
      for (const [k, c] of n.props) if (!live.has(c)) n.props.delete(k);
      if (!n.props.size) n.props = null;
    }
    n.rest = keep(n.rest);
    n.items = keep(n.items);
    if (n.tuple) n.tuple = n.tuple.some((c) => keep(c)) ? n.tuple.map(keep) : null;
    if (n.alts) {
      n.alts = n.alts.filter((c) => live.has(c));
      if (!n.alts.length) n.alts = null;
    }
  }
  return keep(root);
}

/**
 * The secret fields of a zod v4 schema, as paths: `a.b` for properties, `[]` for array
 * elements, `[0]` for tuple positions, `*` for record values and catchall keys; `''` when the
 * whole value is secret, `...` where a recursive schema repeats.
 *
 * @example
 * secretPaths(z.object({ auth: z.object({ token: z.string().meta({ secret: true }) }), keys: z.array(z.string().meta({ secret: true })) }))
 * // ['auth.token', 'keys[]']
 */
export function secretPaths(schema: z.ZodType): string[] {
  const out = new Set<string>();
  const walk = (n: Plan, path: string, onPath: Set<Plan>) => {
    if (onPath.has(n)) return void out.add(`${path}...`);
    if (n.secret) return void out.add(path);
    onPath.add(n);
    const dot = path ? '.' : '';
    for (const [k, c] of n.props ?? []) walk(c, `${path}${dot}${k}`, onPath);
    if (n.rest) walk(n.rest, `${path}${dot}*`, onPath);
    n.tuple?.forEach((c, i) => c && walk(c, `${path}[${i}]`, onPath));
    if (n.items) walk(n.items, `${path}[]`, onPath);
    for (const a of n.alts ?? []) walk(a, path, onPath);
    onPath.delete(n);
  };
  const plan = secretPlan(schema);
  if (plan) walk(plan, '', new Set());
  return [...out];
}

function children(n: Plan): Plan[] {
  const out: Plan[] = [];
  if (n.props) out.push(...n.props.values());
  if (n.rest) out.push(n.rest);
  if (n.items) out.push(n.items);
  if (n.tuple) for (const c of n.tuple) if (c) out.push(c);
  if (n.alts) out.push(...n.alts);
  return out;
}

function build(schema: any, memo: Map<unknown, Plan>): Plan {
  const known = memo.get(schema);
  if (known) return known;
  const n: Plan = { secret: false, props: null, rest: null, items: null, tuple: null, alts: null };
  memo.set(schema, n);
  if (isSecretSchema(schema)) {
    n.secret = true;
    return n;
  }
  const def = schema?._zod?.def;
  if (!def || typeof def.type !== 'string') return n; // not a zod v4 schema: nothing known
  const sub = (s: unknown) => build(s, memo);
  const type: string = def.type;
  if (type === 'object') {
    n.props = new Map(Object.entries(def.shape ?? {}).map(([k, s]) => [k, sub(s)]));
    if (def.catchall) n.rest = sub(def.catchall);
  } else if (type === 'record') {
    n.rest = sub(def.valueType);
  } else if (type === 'array') {
    n.items = sub(def.element);
  } else if (type === 'tuple') {
    n.tuple = (def.items ?? []).map(sub);
    if (def.rest) n.items = sub(def.rest);
  } else if (WRAPPERS.has(type)) {
    n.alts = [sub(def.innerType)];
  } else if (type === 'pipe') {
    n.alts = [sub(def.in), sub(def.out)];
  } else if (type === 'union') {
    n.alts = (def.options ?? []).map(sub);
  } else if (type === 'intersection') {
    n.alts = [sub(def.left), sub(def.right)];
  } else if (type === 'lazy') {
    try {
      n.alts = [sub(def.getter())];
    } catch {
      /* a getter that throws has no plan */
    }
  }
  return n;
}

/** The value with the plan's secret fields replaced; the same value when there are none. */
function applyPlan(plan: Plan, value: unknown): unknown {
  if (plan.secret) return value === undefined || value === null ? value : REDACTED;
  let v = value;
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v)) {
      if (plan.items || plan.tuple) {
        let out: unknown[] | null = null;
        for (let i = 0; i < v.length; i++) {
          const p = plan.tuple && i < plan.tuple.length ? plan.tuple[i] : plan.items;
          if (!p) continue;
          const x = v[i];
          const y = applyPlan(p, x);
          if (y !== x) (out ??= v.slice())[i] = y;
        }
        if (out) v = out;
      }
    } else if (plan.props || plan.rest) {
      const src = v as Record<string, unknown>;
      let out: Record<string, unknown> | null = null;
      if (plan.props) {
        for (const [k, p] of plan.props) {
          if (!Object.hasOwn(src, k)) continue;
          const x = src[k];
          const y = applyPlan(p, x);
          if (y !== x) (out ??= { ...src })[k] = y;
        }
      }
      if (plan.rest) {
        for (const k of Object.keys(src)) {
          if (plan.props?.has(k)) continue;
          const x = src[k];
          const y = applyPlan(plan.rest, x);
          if (y !== x) (out ??= { ...src })[k] = y;
        }
      }
      if (out) v = out;
    }
  }
  if (plan.alts) for (const a of plan.alts) v = applyPlan(a, v);
  return v;
}

/** Whether a field path (`a.0.b`, as validation errors name it) leads to or into a secret. */
function touchesSecret(plan: Plan, path: string[], i = 0, seen = 0): boolean {
  if (plan.secret || i === path.length) return true; // a pruned plan node always leads to a secret
  if (seen > 64) return true;
  const k = path[i];
  const next: Plan[] = [];
  const p = plan.props?.get(k) ?? (plan.props?.has(k) ? null : plan.rest);
  if (p) next.push(p);
  if (/^\d+$/.test(k)) {
    const t = plan.tuple && Number(k) < plan.tuple.length ? plan.tuple[Number(k)] : plan.items;
    if (t) next.push(t);
  }
  if (next.some((n) => touchesSecret(n, path, i + 1, seen + 1))) return true;
  return (plan.alts ?? []).some((a) => touchesSecret(a, path, i, seen + 1));
}

// ---- the redactor ---------------------------------------------------------------------------------

interface WorkflowIndex {
  workers: ReadonlyMap<string, AnyWorker>;
  stepWorker: ReadonlyMap<string, string>;
}

const indexes = new WeakMap<object, WorkflowIndex>();
const NO_WORKFLOW: WorkflowIndex = { workers: new Map(), stepWorker: new Map() };

/**
 * Workers by name and each step's worker, once per workflow definition: a redactor is made per
 * run, and walking a 1,000-step definition each time cost more than redacting the run's events.
 */
function workflowIndex(workflow: RedactorOptions['workflow']): WorkflowIndex {
  if (!workflow) return NO_WORKFLOW;
  let index = indexes.get(workflow);
  if (!index) {
    const workers = new Map<string, AnyWorker>();
    const stepWorker = new Map<string, string>();
    for (const s of workflow.steps) {
      // A routed step may run any candidate: each one's schemas apply once `step.started` names it.
      for (const c of s.candidates ?? []) workers.set(c.name, c);
      if (!s.worker) continue;
      workers.set(s.worker.name, s.worker);
      stepWorker.set(s.id, s.worker.name);
    }
    indexes.set(workflow, (index = { workers, stepWorker }));
  }
  return index;
}

/**
 * Scrubbers by their secret values, for redactors with the built-in patterns only: a process starts
 * runs one after another with the same environment, and compiling the combined RegExp costs more
 * than the rest of a redactor together. Bounded, since a caller could pass new values each time.
 */
const scrubbers = new Map<string, Scrubber>();

function scrubberFor(values: readonly string[], options: RedactorOptions): Scrubber {
  if (options.patterns?.length || options.defaultPatterns === false) return createScrubber(values, { patterns: options.patterns, defaultPatterns: options.defaultPatterns });
  const key = values.join('\u0000');
  let s = scrubbers.get(key);
  if (!s) {
    if (scrubbers.size >= 32) scrubbers.delete(scrubbers.keys().next().value!);
    scrubbers.set(key, (s = createScrubber(values)));
  }
  return s;
}

interface WorkerPlans {
  input: Plan | null;
  output: Plan | null;
}

const NO_PLANS: WorkerPlans = { input: null, output: null };
const FIELD = / field (\S+) = /;

/**
 * A redactor for one run's events (cheap to create: schema plans are cached per schema, computed
 * on first use; the environment is read here, once). It remembers which worker each step runs and
 * the redacted outputs of steps with secret output fields, for `run.finished`.
 *
 * @example
 * const redactor = createRedactor({ workflow, env: process.env });
 * writer.append(redactor.redactEvent(event));
 * redactor.redactText('401: Incorrect API key provided: sk-abc...'); // '401: Incorrect API key provided: [redacted]'
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const values = [...secretEnvValues(options.env ?? process.env, options), ...(options.secrets ?? [])];
  let scrubber = scrubberFor(values, options);
  let scrubs = values.length > 0 || options.defaultPatterns !== false || (options.patterns?.length ?? 0) > 0;
  /**
   * Values a schema marked secret, learnt as the run goes: a token one worker's output schema marks
   * is replaced in every later event too (the next worker's input, an error quoting it), whether or
   * not that worker's schema marks it as well.
   */
  const learnt = new Set<string>();
  const learn = (original: unknown, redacted: unknown) => {
    const before = learnt.size;
    replacedStrings(original, redacted, learnt);
    if (learnt.size === before) return;
    scrubber = scrubberFor([...values, ...learnt], options);
    scrubs = true;
  };

  const base = workflowIndex(options.workflow);
  const workers = options.workers ? new Map([...base.workers, ...[...options.workers].map((w) => [w.name, w] as const)]) : base.workers;
  /** Steps whose worker this run's events named differently from the definition (rare: the definition is the default). */
  const seenWorker = new Map<string, string>();
  const stepWorker = { get: (step: string) => seenWorker.get(step) ?? base.stepWorker.get(step), set: (step: string, worker: string) => (base.stepWorker.get(step) === worker ? undefined : seenWorker.set(step, worker)) };
  const plans = new Map<string, WorkerPlans>();
  const plansOf = (name: string | undefined): WorkerPlans => {
    if (name === undefined) return NO_PLANS;
    let p = plans.get(name);
    if (!p) {
      const w = workers.get(name);
      p = w ? { input: secretPlan(w.input), output: secretPlan(w.output) } : NO_PLANS;
      plans.set(name, p);
    }
    return p;
  };
  const runInputPlan = options.input ? secretPlan(options.input) : null;
  /**
   * The latest redacted output of each step whose output had secret fields: the run's output is
   * usually one of them (or an object of them, for DAGs with several sinks), and `run.finished`
   * has no schema of its own. The same object when events come live from the engine; an equal one
   * when they are read back from a file.
   */
  const redactedOutputs = new Map<string, { original: unknown; redacted: unknown }>();
  const substitute = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object' || redactedOutputs.size === 0) return v;
    for (const o of redactedOutputs.values()) if (o.original === v) return o.redacted;
    for (const o of redactedOutputs.values()) if (deepEqual(o.original, v)) return o.redacted;
    if (depth === 0 || Array.isArray(v)) return v;
    let out: Record<string, unknown> | null = null;
    for (const [k, x] of Object.entries(v)) {
      const y = substitute(x, depth - 1);
      if (y !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = y;
    }
    return out ?? v;
  };

  /** Every string inside a JSON value scrubbed; the same value when nothing changed. */
  const scrubValue = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubber.test(v) ? scrubber.scrub(v) : v;
    if (v === null || typeof v !== 'object') return v;
    // The common case: collect the strings, search them at once, and return the value untouched.
    // `texts` is reused (a counter, not `length = 0`, which gives up its storage every time) and
    // emptied after, so it holds no string alive.
    count = 0;
    collect(v);
    const hit = scrubber.testAny(texts, count);
    for (let i = 0; i < count; i++) texts[i] = '';
    return hit ? rewrite(v) : v;
  };
  const texts: string[] = [];
  let count = 0;
  const collect = (v: unknown): void => {
    if (typeof v === 'string') texts[count++] = v;
    else if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) collect(v[i]);
      else for (const k in v as Record<string, unknown>) collect((v as Record<string, unknown>)[k]);
    }
  };
  const rewrite = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubber.test(v) ? scrubber.scrub(v) : v;
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        const y = rewrite(x);
        if (y !== x) (out ??= v.slice())[i] = y;
      }
      return out ?? v;
    }
    const src = v as Record<string, unknown>;
    let out: Record<string, unknown> | null = null;
    for (const k in src) {
      const x = src[k];
      const y = rewrite(x);
      if (y !== x) (out ??= { ...src })[k] = y;
    }
    return out ?? v;
  };

  const data = (v: unknown, plan: Plan | null): unknown => {
    const x = plan ? applyPlan(plan, v) : v;
    return scrubs ? scrubValue(x) : x;
  };
  const text = (s: unknown): unknown => (scrubs && typeof s === 'string' && scrubber.test(s) ? scrubber.scrub(s) : s);

  const errorOf = (error: any, plans: WorkerPlans): unknown => {
    if (!error || typeof error !== 'object' || typeof error.message !== 'string') return error;
    let message: string = error.message;
    // A validation error quotes the invalid value; when that field is (or holds) a secret, drop the quote.
    const plan = error.name === 'InputValidationError' ? plans.input : error.name === 'OutputValidationError' ? plans.output : null;
    if (plan) {
      const m = FIELD.exec(message);
      if (m && touchesSecret(plan, m[1] === '(root)' ? [] : m[1].split('.'))) message = message.slice(0, m.index + m[0].length) + REDACTED;
    }
    message = text(message) as string;
    return message === error.message ? error : { ...error, message };
  };

  const redactEvent = <E extends { readonly type: string }>(event: E): E => {
    const e = event as any;
    switch (e.type) {
      case 'run.started': {
        const input = data(e.input, runInputPlan);
        const instruction = text(e.instruction);
        if (input === e.input && instruction === e.instruction) return event;
        return { ...e, input, ...(instruction === undefined ? {} : { instruction }) };
      }
      case 'step.started': {
        if (typeof e.worker === 'string' && typeof e.step === 'string' && workers.has(e.worker)) stepWorker.set(e.step, e.worker);
        const plan = plansOf(e.worker).input;
        const planned = plan ? applyPlan(plan, e.input) : e.input;
        if (planned !== e.input) learn(e.input, planned);
        const input = scrubs ? scrubValue(planned) : planned;
        return input === e.input ? event : { ...e, input };
      }
      case 'step.succeeded': {
        const plan = plansOf(stepWorker.get(e.step)).output;
        const planned = plan ? applyPlan(plan, e.output) : e.output;
        if (plan) redactedOutputs.set(e.step, { original: e.output, redacted: planned });
        if (planned !== e.output) learn(e.output, planned);
        const output = scrubs ? scrubValue(planned) : planned;
        return output === e.output ? event : { ...e, output };
      }
      case 'step.failed': {
        const error = errorOf(e.error, plansOf(stepWorker.get(e.step)));
        return error === e.error ? event : { ...e, error };
      }
      case 'run.finished': {
        const output = e.output === undefined ? undefined : data(substitute(e.output, 1), null);
        const error = e.error === undefined ? undefined : errorOf(e.error, NO_PLANS);
        return output === e.output && error === e.error ? event : { ...e, ...(output === undefined ? {} : { output }), ...(error === undefined ? {} : { error }) };
      }
      case 'approval.received': {
        const comment = text(e.comment);
        return comment === e.comment ? event : { ...e, comment };
      }
      case 'route.decided': {
        // Names and numbers only, but a router's error message may quote the step's input.
        const error = text(e.error);
        return error === e.error ? event : { ...e, error };
      }
      case 'run.cancelled': {
        const reason = text(e.reason);
        return reason === e.reason ? event : { ...e, reason };
      }
      default:
        return event; // transitions, timers, resumes carry no data
    }
  };

  return { redactEvent, redactText: (s: string) => scrubber.scrub(s) };
}

/**
 * The strings of `original` that `redacted` replaced by the marker (numbers and the like as JSON).
 *
 * @example
 * const found = new Set<string>(); replacedStrings({ a: 'k-123', b: 1 }, { a: '[redacted]', b: 1 }, found); // found: {'k-123'}
 */
export function replacedStrings(original: unknown, redacted: unknown, into: Set<string>): void {
  if (original === redacted) return;
  if (redacted === REDACTED && original !== REDACTED && original !== null && original !== undefined) {
    const s = typeof original === 'string' ? original : JSON.stringify(original);
    if (s.length >= MIN_NAMED_LENGTH) into.add(s); // a 2-character secret would blank every string
    return;
  }
  if (original && redacted && typeof original === 'object' && typeof redacted === 'object') {
    for (const k of Object.keys(original)) replacedStrings((original as Record<string, unknown>)[k], (redacted as Record<string, unknown>)[k], into);
  }
}
