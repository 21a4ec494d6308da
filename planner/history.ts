import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Example, Plan } from './types.ts';
import { planOrder } from './compile-plan.ts';
import { parseHistory } from '../machines/history/parse.ts';

/**
 * Learning from history: successful runs that came from an instruction become training
 * examples. Histories are read with the same parser as the hub's (`machines/history/parse.ts`),
 * and the few fields used here are read structurally, so a run of any workflow can be scanned.
 *
 * Where the DAG comes from, best first:
 * 1. the plan a planned run records in its input (`input.plan.nodes`, see `planRunInput`);
 * 2. otherwise the order steps ran in: a step depends on the steps that succeeded since the
 *    previous wave of starts (steps started together are parallel siblings).
 */

/** Why a run did not become an example. */
export interface SkippedRun {
  file: string;
  reason: string;
}

/**
 * An example read from a run. `planSource` is who made the recorded plan (`model` or `knn`: the
 * planner itself; `llm`: the fallback); absent when the run recorded no plan and its DAG is the
 * order its steps ran in (a workflow the user built, run with an instruction).
 */
export type HistoryExample = Example & { planSource?: Plan['source'] };

export interface HistoryScan {
  examples: HistoryExample[];
  skipped: SkippedRun[];
}

interface Ev {
  type: string;
  [k: string]: unknown;
}

/** The run files under `dir`: `dir/*.jsonl`, or `dir/runs/*.jsonl` when given the store root. */
function runFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: not a history directory (expected .orchestai/runs or .orchestai)`);
  const runs = existsSync(join(dir, 'runs')) && statSync(join(dir, 'runs')).isDirectory() ? join(dir, 'runs') : dir;
  return readdirSync(runs)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(runs, f));
}

/** A run's events; damage other than a torn last line (the writer died: not a success) names file and line. */
function readEvents(file: string): Ev[] {
  return parseHistory(readFileSync(file, 'utf8'), file).events as unknown as Ev[];
}

interface RecordedNode {
  id: string;
  worker: string;
  dependsOn: string[];
}

const PLAN_SOURCES: readonly string[] = ['model', 'knn', 'llm'] satisfies Plan['source'][];

/** Who made the plan a run recorded, when it says and names a known planner. */
function recordedSource(input: unknown): Plan['source'] | undefined {
  const source = (input as { plan?: { source?: unknown } } | null)?.plan?.source;
  return typeof source === 'string' && PLAN_SOURCES.includes(source) ? (source as Plan['source']) : undefined;
}

function recordedPlan(input: unknown): RecordedNode[] | undefined {
  const nodes = (input as { plan?: { nodes?: unknown } } | null)?.plan?.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return undefined;
  const ok = nodes.every(
    (n) => n && typeof n.id === 'string' && typeof n.worker === 'string' && Array.isArray(n.dependsOn) && n.dependsOn.every((d: unknown) => typeof d === 'string'),
  );
  return ok ? (nodes as RecordedNode[]) : undefined;
}

/** Steps in start order with dependencies inferred from waves of starts between successes. */
function inferredDag(events: Ev[]): RecordedNode[] {
  const nodes: RecordedNode[] = [];
  const seen = new Set<string>();
  let wave: string[] = [];
  let succeededSince: string[] = [];
  for (const ev of events) {
    if (ev.type === 'step.started' && typeof ev.step === 'string' && typeof ev.worker === 'string' && !seen.has(ev.step)) {
      if (succeededSince.length) {
        wave = succeededSince;
        succeededSince = [];
      }
      seen.add(ev.step);
      nodes.push({ id: ev.step, worker: ev.worker, dependsOn: [...wave] });
    } else if (ev.type === 'step.succeeded' && typeof ev.step === 'string' && seen.has(ev.step) && !succeededSince.includes(ev.step)) {
      succeededSince.push(ev.step);
    }
  }
  return nodes;
}

/** One run -> one example, or the reason it is skipped. */
function runToExample(file: string, events: Ev[]): HistoryExample | SkippedRun {
  const started = events[0];
  if (!started || started.type !== 'run.started') return { file, reason: 'does not begin with run.started' };
  const instruction = typeof started.instruction === 'string' ? started.instruction : (started.input as { instruction?: unknown } | null)?.instruction;
  if (typeof instruction !== 'string' || instruction.trim() === '') return { file, reason: 'not planned from an instruction' };
  const finished = events.findLast((e) => e.type === 'run.finished');
  if (!finished) return { file, reason: 'unfinished' };
  if (finished.status !== 'succeeded') return { file, reason: `run ${String(finished.status)}` };
  const recorded = recordedPlan(started.input);
  const plan = recorded ?? inferredDag(events);
  if (plan.length === 0) return { file, reason: 'no steps ran' };
  const workers = plan.map((n) => n.worker);
  if (new Set(workers).size !== workers.length) return { file, reason: 'a worker appears twice (examples name nodes by worker)' };
  let order: string[];
  try {
    order = planOrder(plan);
  } catch (e) {
    return { file, reason: (e as Error).message };
  }
  const byId = new Map(plan.map((n) => [n.id, n]));
  const links: Example['links'] = [];
  for (const id of order) for (const d of byId.get(id)!.dependsOn) links.push({ source: byId.get(d)!.worker, target: byId.get(id)!.worker });
  const runId = typeof started.runId === 'string' ? started.runId : basename(file, '.jsonl');
  const planSource = recorded ? recordedSource(started.input) : undefined;
  return { id: `history-${runId}`, request: instruction.trim(), nodes: order.map((id) => byId.get(id)!.worker), links, ...(planSource ? { planSource } : {}) };
}

/**
 * Scans a history directory and reports both the examples and the runs it skipped (failed,
 * unplanned, ...). A malformed line (other than a torn last line) is an error naming file and line.
 *
 * @example
 * const { examples, skipped } = scanHistory('.orchestai/runs');
 */
export function scanHistory(dir: string): HistoryScan {
  const examples: HistoryExample[] = [];
  const skipped: SkippedRun[] = [];
  for (const file of runFiles(dir)) {
    const r = runToExample(file, readEvents(file));
    if ('reason' in r) skipped.push(r);
    else examples.push(r);
  }
  return { examples, skipped };
}

/**
 * Successful instruction-planned runs as training examples `{ id, request, nodes, links }`.
 *
 * @example
 * const extra = examplesFromHistory('.orchestai/runs'); // feed to train(...) with the fixtures
 */
export function examplesFromHistory(dir: string): Example[] {
  return scanHistory(dir).examples;
}
