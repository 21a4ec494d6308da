/**
 * Reads a plain-JSON XState v5 machine config into a flat list of states and transitions,
 * with every target resolved to a full state path. Layout and SVG work on this, not on the
 * raw config, so target-resolution rules (`#id`, `.child`, `sibling.child`) live in one place.
 */

export type StateKind = 'root' | 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface ChartState {
  /** Full dotted path from the machine root, e.g. `build-website.fetch.running`; the root's path is the machine id. */
  path: string;
  /** Path without the machine id (`fetch.running`), the form history `transition` events use; '' for the root. */
  relPath: string;
  key: string;
  kind: StateKind;
  parent?: string;
  /** True for the direct children of a parallel state (drawn as dashed regions). */
  region: boolean;
  initial?: string;
  /** Entry actions as short labels, e.g. `startWorker(fetch)`. */
  entry: string[];
  meta?: unknown;
  /** A final state whose name or meta says it is a failure. */
  failedFinal: boolean;
  depth: number;
}

export type TransitionKind = 'success' | 'failure' | 'timer' | 'always';

export interface ChartTransition {
  id: string;
  source: string;
  /** Target paths; a transition without target is drawn as a self-loop on its source. */
  targets: string[];
  /** `event [guard]`, `after 5s`, `always [guard]`. */
  label: string;
  event: string;
  guard?: string;
  delay?: string;
  kind: TransitionKind;
}

export interface Chart {
  id: string;
  states: ChartState[];
  transitions: ChartTransition[];
}

type Json = any;

/** Why a machine config cannot be drawn, naming the state path and field. */
export class ChartConfigError extends Error {
  constructor(where: string, problem: string) {
    super(`machine config at ${where}: ${problem}`);
    this.name = 'ChartConfigError';
  }
}

/**
 * Flattens a machine config into states and resolved transitions.
 *
 * @example
 * const chart = readChart({ id: 'm', initial: 'a', states: { a: { on: { GO: 'b' } }, b: { type: 'final' } } });
 * chart.transitions[0]; // { source: 'm.a', targets: ['m.b'], label: 'GO', kind: 'success', ... }
 */
export function readChart(config: Json): Chart {
  if (!config || typeof config !== 'object') throw new ChartConfigError('(root)', 'expected an object');
  const rootId: string = typeof config.id === 'string' && config.id ? config.id : '(machine)';
  const states: ChartState[] = [];
  const byPath = new Map<string, { state: ChartState; config: Json }>();
  const byId = new Map<string, string>();

  const visit = (node: Json, key: string, path: string, parent: ChartState | undefined, depth: number) => {
    if (!node || typeof node !== 'object') throw new ChartConfigError(path, 'state must be an object');
    const children = node.states && typeof node.states === 'object' ? Object.keys(node.states) : [];
    let kind: StateKind;
    if (!parent) kind = 'root';
    else if (node.type === 'final') kind = 'final';
    else if (node.type === 'history') kind = 'history';
    else if (node.type === 'parallel') kind = 'parallel';
    else kind = children.length ? 'compound' : 'atomic';
    const meta = node.meta;
    const failedFinal = kind === 'final' && isFailureName(key, meta);
    const state: ChartState = {
      path,
      relPath: parent ? path.slice(rootId.length + 1) : '',
      key,
      kind,
      parent: parent?.path,
      region: parent?.kind === 'parallel' || (parent?.kind === 'root' && config.type === 'parallel'),
      initial: typeof node.initial === 'string' ? node.initial : undefined,
      entry: actionLabels(node.entry),
      meta,
      failedFinal,
      depth,
    };
    states.push(state);
    byPath.set(path, { state, config: node });
    if (typeof node.id === 'string') byId.set(node.id, path);
    for (const child of children) visit(node.states[child], child, `${path}.${child}`, state, depth + 1);
  };
  visit(config, rootId, rootId, undefined, 0);
  byId.set(rootId, rootId);

  const resolve = (sourcePath: string, target: string, field: string): string => {
    const source = byPath.get(sourcePath)!.state;
    let resolved: string | undefined;
    if (target.startsWith('#')) {
      const ref = target.slice(1);
      // '#id' or '#id.child.path' (XState resolves the longest registered id prefix).
      const parts = ref.split('.');
      for (let i = parts.length; i > 0 && !resolved; i--) {
        const base = byId.get(parts.slice(0, i).join('.'));
        if (base) resolved = [base, ...parts.slice(i)].join('.');
      }
    } else if (target.startsWith('.')) {
      resolved = `${sourcePath}${target}`;
    } else {
      resolved = source.parent ? `${source.parent}.${target}` : `${sourcePath}.${target}`;
    }
    if (!resolved || !byPath.has(resolved)) {
      throw new ChartConfigError(`${sourcePath} (${field})`, `target ${JSON.stringify(target)} does not name a state`);
    }
    return resolved;
  };

  const transitions: ChartTransition[] = [];
  for (const { state, config: node } of byPath.values()) {
    const add = (event: string, spec: Json, field: string, delay?: string) => {
      for (const t of asArray(spec)) {
        const obj = typeof t === 'string' ? { target: t } : t ?? {};
        if (typeof obj !== 'object') throw new ChartConfigError(`${state.path} (${field})`, 'transition must be a string or an object');
        const targets = asArray(obj.target).map((x: unknown) => {
          if (typeof x !== 'string') throw new ChartConfigError(`${state.path} (${field})`, 'target must be a string');
          return resolve(state.path, x, field);
        });
        const guard = guardLabel(obj.guard ?? obj.cond);
        const targetStates = targets.map((p) => byPath.get(p)!.state);
        const kind: TransitionKind =
          event.startsWith('fail.') ||
          event.startsWith('reject.') ||
          /(^|\.)(fail|failed|error|rejected)(\.|$)/.test(event) ||
          targetStates.some((s) => s.failedFinal) ||
          (delay !== undefined && /timeout/i.test(delay))
            ? 'failure'
            : delay !== undefined
              ? 'timer'
              : field === 'always'
                ? 'always'
                : 'success';
        const base = delay !== undefined ? `after ${delayLabel(delay)}` : event;
        transitions.push({
          id: `t${transitions.length}`,
          source: state.path,
          targets,
          label: guard ? `${base} [${guard}]` : base,
          event,
          guard,
          delay,
          kind,
        });
      }
    };
    if (node.on && typeof node.on === 'object') for (const [event, spec] of Object.entries(node.on)) add(event, spec, `on.${event}`);
    if (node.after && typeof node.after === 'object') for (const [delay, spec] of Object.entries(node.after)) add(`after.${delay}`, spec, `after.${delay}`, delay);
    if (node.always !== undefined) add('always', node.always, 'always');
    if (node.onDone !== undefined) add('done', node.onDone, 'onDone');
    for (const inv of asArray(node.invoke)) {
      if (!inv || typeof inv !== 'object') continue;
      const src = typeof inv.src === 'string' ? inv.src : 'invoke';
      if (inv.onDone !== undefined) add(`done.${src}`, inv.onDone, 'invoke.onDone');
      if (inv.onError !== undefined) add(`fail.${src}`, inv.onError, 'invoke.onError');
    }
  }
  return { id: rootId, states, transitions };
}

function asArray(v: unknown): any[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function isFailureName(key: string, meta: Json): boolean {
  const status = meta && typeof meta === 'object' ? (meta.status ?? meta.orchestai?.status) : undefined;
  if (status === 'failed' || status === 'cancelled') return true;
  if (status === 'succeeded') return false;
  return /fail|error|cancel|reject|abort/i.test(key);
}

function paramsLabel(params: Json): string {
  if (!params || typeof params !== 'object') return '';
  const parts = Object.entries(params).map(([k, v]) => {
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return Object.keys(params).length === 1 && (k === 'step' || k === 'id') ? s : `${k}: ${s}`;
  });
  return parts.join(', ');
}

function actionLabels(entry: unknown): string[] {
  return asArray(entry).map((a) => {
    if (typeof a === 'string') return a;
    if (a && typeof a === 'object' && typeof (a as any).type === 'string') {
      const p = paramsLabel((a as any).params);
      return p ? `${(a as any).type}(${p})` : (a as any).type;
    }
    return 'action';
  });
}

function guardLabel(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && typeof (guard as any).type === 'string') {
    const { type, params } = guard as { type: string; params?: Record<string, unknown> };
    if (params && typeof params === 'object') {
      // A labelled branch reads best as its label; the step id is implied by where the edge starts.
      if (typeof params.label === 'string') return params.maxTimes !== undefined ? `${params.label} ≤${params.maxTimes}×` : params.label;
      const shown = Object.fromEntries(
        Object.entries(params).filter(([k, v]) => k !== 'step' && v !== undefined && !(Array.isArray(v) && v.length === 0)),
      );
      if (type === 'branch' && 'index' in shown) return `branch ${shown.index}${shown.maxTimes !== undefined ? ` ≤${shown.maxTimes}×` : ''}`;
      if (type === 'depsDone' && Array.isArray(shown.deps)) return `after ${shown.deps.join(', ')}`;
      const p = paramsLabel(shown);
      return p ? `${type}(${p})` : type;
    }
    return type;
  }
  return 'guard';
}

function delayLabel(delay: string): string {
  if (/^\d+$/.test(delay)) {
    const ms = Number(delay);
    return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
  }
  return delay;
}
