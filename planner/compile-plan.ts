import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { defineWorkflow } from '../machines/workflow.ts';
import type { TaskStepSpec, Workflow } from '../machines/definition.ts';
import type { AnyWorker } from '../machines/worker.ts';
import type { Json, JsonObject, RunContext } from '../transformers/types.ts';
import type { Catalog, Plan, PlanNode } from './types.ts';
import { extractSlots, type RunSlots } from './slots.ts';

/**
 * Plan -> workflow definition (DAG form) -> statechart through `compileWorkflow`. A plan names
 * workers; here each node becomes a step running that worker with the worker's own default retry
 * policy, and the step's input is built by field name from the run input and upstream outputs.
 */

/** A plan that cannot become a workflow; every problem is listed with the node it is about. */
export class PlanError extends Error {
  override name = 'PlanError';
  constructor(readonly problems: string[]) {
    super(`invalid plan: ${problems.join('; ')}`);
  }
}

export interface ValidatePlanOptions {
  /** Also require every dependency to be an allowed hand-off of the catalog's tool graph. */
  requireHandOffs?: boolean;
}

/**
 * Every structural problem of a plan: bad shape, duplicate ids, unknown workers, dependencies on
 * unknown or later nodes, cycles, and (optionally) hand-offs the tool graph does not allow.
 * Returns [] for a valid plan.
 *
 * @example
 * planProblems({ nodes: [{ id: 'n1', worker: 'nope', dependsOn: [] }] }, catalog)
 * // ['node n1: unknown worker "nope"']
 */
export function planProblems(
  plan: { nodes: readonly Pick<PlanNode, 'id' | 'worker' | 'dependsOn'>[] },
  known: Catalog | ReadonlySet<string>,
  options: ValidatePlanOptions = {},
): string[] {
  const problems: string[] = [];
  if (!plan || !Array.isArray(plan.nodes)) return ['plan.nodes must be an array'];
  if (plan.nodes.length === 0) return ['plan has no nodes'];
  const names = known instanceof Set ? known : new Set((known as Catalog).tools.map((t) => t.name));
  const handOffs = known instanceof Set ? undefined : new Set((known as Catalog).links.map((l) => `${l.source}\u0000${l.target}`));
  const byId = new Map<string, Pick<PlanNode, 'id' | 'worker' | 'dependsOn'>>();
  plan.nodes.forEach((n, i) => {
    const where = typeof n?.id === 'string' && n.id ? `node ${n.id}` : `nodes[${i}]`;
    if (typeof n?.id !== 'string' || n.id === '') problems.push(`${where}: id must be a non-empty string`);
    else if (byId.has(n.id)) problems.push(`${where}: duplicate id`);
    else byId.set(n.id, n);
    if (typeof n?.worker !== 'string') problems.push(`${where}: worker must be a string`);
    else if (!names.has(n.worker)) problems.push(`${where}: unknown worker ${JSON.stringify(n.worker)}`);
    if (!Array.isArray(n?.dependsOn) || (n.dependsOn as unknown[]).some((d) => typeof d !== 'string')) problems.push(`${where}: dependsOn must be an array of node ids`);
  });
  if (problems.length) return problems;
  for (const n of plan.nodes) {
    for (const d of n.dependsOn) {
      if (!byId.has(d)) problems.push(`node ${n.id}: depends on unknown node ${JSON.stringify(d)}`);
      else if (d === n.id) problems.push(`node ${n.id}: depends on itself`);
    }
  }
  if (problems.length) return problems;
  const cyclic = cycleMembers(plan.nodes);
  if (cyclic.length) problems.push(`dependency cycle among nodes ${cyclic.join(', ')}`);
  if (options.requireHandOffs && handOffs) {
    for (const n of plan.nodes) {
      for (const d of n.dependsOn) {
        const dep = byId.get(d)!;
        if (!handOffs.has(`${dep.worker}\u0000${n.worker}`)) problems.push(`node ${n.id}: ${dep.worker} -> ${n.worker} is not an allowed hand-off in the tool graph`);
      }
    }
  }
  return problems;
}

/** Nodes left after peeling off nodes with no remaining dependencies: those on or behind a cycle. */
function cycleMembers(nodes: readonly Pick<PlanNode, 'id' | 'dependsOn'>[]): string[] {
  const remaining = new Map(nodes.map((n) => [n.id, new Set(n.dependsOn)]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const [id, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(id);
        changed = true;
      }
    }
  }
  return [...remaining.keys()];
}

/** Node ids in dependency order (ties by plan order). Assumes a valid plan.
 *
 * @example
 * planOrder([{ id: 'b', dependsOn: ['a'] }, { id: 'a', dependsOn: [] }]) // ['a', 'b']
 */
export function planOrder(nodes: readonly Pick<PlanNode, 'id' | 'dependsOn'>[]): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    const next = nodes.find((n) => !done.has(n.id) && n.dependsOn.every((d) => done.has(d)));
    if (!next) throw new PlanError([`dependency cycle among nodes ${cycleMembers(nodes).join(', ')}`]);
    done.add(next.id);
    order.push(next.id);
  }
  return order;
}

/** Step ids must match `[A-Za-z][A-Za-z0-9_-]*`; worker names may contain dots or start with a digit. */
function stepIdFor(worker: string, taken: Set<string>): string {
  let base = worker.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z]/.test(base)) base = `w${base}`;
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}

/**
 * The hash that names a planned workflow (`plan:<hash>`): the DAG of workers and, when a catalog
 * shaped the inputs, the hand-offs used, since they change what each step receives.
 *
 * @example
 * planHash(plan) // '3f2a0c9d1b7e'
 */
export function planHash(plan: Pick<Plan, 'nodes'>, handOffs: readonly (readonly [string, string])[] = []): string {
  const shape = plan.nodes.map((n) => [n.id, n.worker, [...n.dependsOn].sort()]);
  const extra = handOffs.length ? [handOffs.map(([a, b]) => `${a}>${b}`).sort()] : [];
  return createHash('sha256').update(JSON.stringify([shape, ...extra])).digest('hex').slice(0, 12);
}

/** The catalog's hand-offs between workers of this plan, sorted: all a recorded plan needs of its catalog. */
export function planHandOffs(plan: Pick<Plan, 'nodes'>, catalog: Catalog): [string, string][] {
  const used = new Set(plan.nodes.map((n) => n.worker));
  // workflows/catalog.ts spells links { from, to }; accept both spellings of the same hand-off.
  const ends = (l: Catalog['links'][number]) => [l.source ?? (l as { from?: string }).from, l.target ?? (l as { to?: string }).to] as [string, string];
  const pairs = catalog.links.map(ends).filter(([a, b]) => typeof a === 'string' && typeof b === 'string' && used.has(a) && used.has(b));
  return [...new Map(pairs.map((p) => [`${p[0]}>${p[1]}`, p])).values()].sort((a, b) => (`${a[0]}>${a[1]}` < `${b[0]}>${b[1]}` ? -1 : 1));
}

/** The plan as a planned run records it in its input: enough to rebuild the DAG from history. */
export type RecordedPlan = {
  nodes: { id: string; worker: string; dependsOn: string[] }[];
  confidence: number;
  source: Plan['source'];
  /** The catalog hand-offs among the plan's workers (see `compilePlan`'s catalog option), so the run can be rebuilt exactly. */
  handOffs?: [string, string][];
};

/** The run input of a planned run: slots from the instruction plus the plan itself (read back by `examplesFromHistory`). */
export type PlannedRunInput = RunSlots & { csv?: string; plan: RecordedPlan };

export interface RunInputOptions {
  /** Read a CSV the instruction names into `csv` (default true). Off for export, where nothing runs. */
  readFiles?: boolean;
  /** Relative paths are read from here (default: the process cwd, as the workers do). */
  cwd?: string;
  /** The catalog the plan is compiled with; its hand-offs among the plan's workers are recorded. */
  catalog?: Catalog;
}

/**
 * The run input for a plan: `{ instruction, path?, csvPath?, csv?, text?, brief, outDir?, ...,
 * plan: { nodes, confidence, source } }`. `csv` is the named CSV file's text, since `csv-stats`
 * parses text; an unreadable CSV is an error naming the file.
 *
 * @example
 * planRunInput(plan).path // 'docs/q3.md' for 'Summarise docs/q3.md'
 */
export function planRunInput(plan: Plan, options: RunInputOptions = {}): PlannedRunInput {
  const slots: RunSlots & { csv?: string } = extractSlots(plan.instruction);
  if (slots.csvPath && options.readFiles !== false && plan.nodes.some((n) => n.worker === 'csv-stats')) {
    const file = resolve(options.cwd ?? process.cwd(), slots.csvPath.replace(/^~(?=[\\/])/, homedir()));
    try {
      slots.csv = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`the instruction names ${slots.csvPath}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return {
    ...slots,
    plan: {
      nodes: plan.nodes.map((n) => ({ id: n.id, worker: n.worker, dependsOn: [...n.dependsOn] })),
      confidence: plan.confidence,
      source: plan.source,
      ...(options.catalog ? { handOffs: planHandOffs(plan, options.catalog) } : {}),
    },
  };
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Run-input fields that are the instruction's data (what the plan starts from). They feed the
 * plan's entry steps only: a later step gets its data from upstream, and a document `path` must
 * not reach, say, `compose-report`, whose `path` means a chart image.
 */
const ENTRY_SLOTS = new Set(['path', 'paths', 'csv', 'csvPath', 'text', 'markdown', 'brief', 'plan']);

/**
 * A step's input, shallow-merged so fields flow by name, nearest producer last (wins):
 * 1. the run input: all of it for an entry step; for other steps only its options (e.g. `outDir`);
 * 2. the outputs of relevant ancestors, farthest first: plans are transitively reduced, so
 *    `structure-slides` depends on `summarise` yet needs the `sections` that `extract-text` made;
 *    an ancestor is relevant when the tool graph allows it to hand off to this step directly
 *    (without a catalog, every ancestor is);
 * 3. the outputs of its direct dependencies.
 */
function mergedInput(entry: boolean, ancestors: readonly string[], deps: readonly string[]) {
  return (ctx: RunContext): JsonObject => {
    const out: JsonObject = {};
    if (isObject(ctx.input)) for (const [k, v] of Object.entries(ctx.input)) if (k !== 'plan' && (entry || !ENTRY_SLOTS.has(k))) out[k] = v;
    for (const id of [...ancestors, ...deps]) {
      const o = ctx.outputs[id];
      if (isObject(o)) Object.assign(out, o);
    }
    return out;
  };
}

export interface CompilePlanOptions {
  /** The catalog the plan was made over: its hand-offs decide which ancestors feed a step. */
  catalog?: Catalog;
}

/**
 * Turns a plan into a DAG-form workflow over `workers`. A node naming a worker that is not
 * given is rejected with a `PlanError` listing the known ones (it cannot happen for a model plan,
 * whose decoder only emits catalog workers, but plans can also come from files and LLMs).
 *
 * @example
 * const wf = compilePlan(plan, defaultWorkers, { catalog });
 * const { config } = compileWorkflow(wf); // plain-JSON statechart
 * await run(wf, planRunInput(plan));
 */
export function compilePlan(
  plan: Pick<Plan, 'nodes'> & Partial<Plan>,
  workers: readonly AnyWorker[] | Readonly<Record<string, AnyWorker>>,
  options: CompilePlanOptions = {},
): Workflow {
  const list = Array.isArray(workers) ? (workers as readonly AnyWorker[]) : Object.values(workers as Record<string, AnyWorker>);
  const byName = new Map(list.map((w) => [w.name, w]));
  const problems = planProblems(plan, new Set(byName.keys()));
  if (problems.some((p) => p.includes('unknown worker'))) problems.push(`known workers: ${[...byName.keys()].join(', ')}`);
  if (problems.length) throw new PlanError(problems);

  const order = planOrder(plan.nodes);
  const nodeById = new Map(plan.nodes.map((n) => [n.id, n]));
  const taken = new Set<string>();
  const stepOf = new Map(order.map((id) => [id, stepIdFor(nodeById.get(id)!.worker, taken)]));
  const ancestorsOf = new Map<string, Set<string>>();
  for (const id of order) {
    const set = new Set<string>();
    for (const d of nodeById.get(id)!.dependsOn) {
      for (const a of ancestorsOf.get(d)!) set.add(a);
      set.add(d);
    }
    ancestorsOf.set(id, set);
  }
  const position = new Map(order.map((id, i) => [id, i]));
  const usedHandOffs = options.catalog ? planHandOffs(plan, options.catalog) : [];
  const handOffs = options.catalog ? new Set(usedHandOffs.map(([a, b]) => `${a}\u0000${b}`)) : undefined;
  const relevant = (from: string, to: string) => !handOffs || handOffs.has(`${nodeById.get(from)!.worker}\u0000${nodeById.get(to)!.worker}`);
  const steps: TaskStepSpec[] = order.map((id) => {
    const node = nodeById.get(id)!;
    const deps = node.dependsOn.map((d) => stepOf.get(d)!);
    const ancestors = [...ancestorsOf.get(id)!]
      .filter((a) => !node.dependsOn.includes(a) && relevant(a, id))
      .sort((a, b) => position.get(a)! - position.get(b)!)
      .map((a) => stepOf.get(a)!);
    return {
      id: stepOf.get(id)!,
      description: `${node.worker}${typeof node.confidence === 'number' ? ` (confidence ${node.confidence.toFixed(2)})` : ''}`,
      worker: byName.get(node.worker)!,
      dependsOn: deps,
      input: mergedInput(deps.length === 0, ancestors, deps),
    };
  });
  const used = new Set(plan.nodes.flatMap((n) => n.dependsOn));
  const sinks = order.filter((id) => !used.has(id)).map((id) => stepOf.get(id)!);
  return defineWorkflow({
    id: `plan:${planHash(plan, usedHandOffs)}`,
    description: plan.instruction ? `Planned from: ${plan.instruction.slice(0, 200)}` : undefined,
    steps,
    // Parallel leaves (e.g. a summary and keywords) are all results: the run output merges every sink.
    output: (ctx: RunContext): Json => {
      const out: JsonObject = {};
      for (const s of sinks) {
        const o = ctx.outputs[s];
        if (isObject(o)) Object.assign(out, o);
        else if (o !== undefined) out[s] = o;
      }
      return out;
    },
  });
}

/**
 * Rebuilds the workflow of a planned run from its recorded plan (the run input's `plan`, or the
 * JSON of one), e.g. for replay and resume: same steps, same inputs, same hash. `workers` are the
 * ones the plan ran with; without recorded hand-offs, the plan was compiled with `catalog`'s
 * (the caller passes the catalog it planned over; none means no hand-off rules).
 *
 * @example
 * const wf = workflowFromRecordedPlan(history[0].input.plan, defaultWorkers, { catalog });
 */
export function workflowFromRecordedPlan(recorded: RecordedPlan | string, workers: readonly AnyWorker[], options: { catalog?: Catalog } = {}): Workflow {
  let value: unknown = recorded;
  if (typeof recorded === 'string') {
    try {
      value = JSON.parse(recorded);
    } catch (e) {
      throw new PlanError([`recorded plan is not JSON (${(e as Error).message})`]);
    }
  }
  const v = value as Partial<RecordedPlan> | null;
  const problems = planProblems({ nodes: (v?.nodes ?? []) as RecordedPlan['nodes'] }, new Set((v?.nodes ?? []).map((n) => n?.worker)));
  const pairsOk = v?.handOffs === undefined || (Array.isArray(v.handOffs) && v.handOffs.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string')));
  if (!pairsOk) problems.push('handOffs must be [source, target] pairs of worker names');
  if (problems.length) throw new PlanError(problems);
  const catalog: Catalog | undefined = v!.handOffs
    ? { tools: workers.map((w) => ({ name: w.name, description: w.description })), links: v!.handOffs.map(([source, target]) => ({ source, target })) }
    : options.catalog;
  return compilePlan({ nodes: v!.nodes!.map((n) => ({ ...n, confidence: 1 })) }, workers, { catalog });
}
