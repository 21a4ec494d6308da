import fs from 'node:fs';
import type { RunBrowser } from '../history/run-store.ts';
import type { RunSummary } from '../history/store.ts';
import type { HistoryFiles } from './store-view.ts';
import { routingFactsOf, type RunRoutingFacts } from './routing-facts.ts';
import { aggregateRouting, type CapabilityRouting } from './routing-stats.ts';

export type { CandidateStats, CapabilityRouting, PolicyUse, RoutingChoice } from './routing-stats.ts';
export { percentile } from './routing-stats.ts';

/**
 * The viewer's routing view: over the newest runs of a store, per workflow and capability (the
 * `capability` a `route.decided` event names, else its step id) and per candidate worker, how often it was chosen, how often
 * it succeeded, what it cost and how long it took; and every choice over time (run start, chosen
 * candidate, policy and version, outcome), for the strip chart.
 *
 * Work is bounded: at most `limit` histories are read per request (the newest first), and each is
 * read once per version of its file. A history the store's parser refuses (a damaged line, or an
 * event type it does not know yet) is read line by line instead, skipping lines that are not
 * JSON; one that cannot be read at all is listed under `runs.damaged` and left out.
 */

export const DEFAULT_ROUTING_LIMIT = 500;
export const MAX_ROUTING_LIMIT = 5000;

export interface RoutingReport {
  workflow?: string;
  limit: number;
  runs: {
    /** Histories read (newest first, at most `limit`, of `workflow` when given). */
    read: number;
    /** Of those, the ones with at least one routing decision. */
    routed: number;
    /** More (older) runs exist that were not read because of the limit. */
    truncated: boolean;
    /** Histories that could not be read at all (the first 20), and how many there were. */
    damaged: { runId: string; reason: string }[];
    damagedCount: number;
    /** Histories the store's parser refused, read line by line instead. */
    readLineByLine: number;
    /** `route.decided` events skipped for a missing field. */
    badDecisions: number;
    /** Attempts whose router failed (no candidate ran; the attempt failed with a RouteError). */
    routerErrors: number;
    /** Start times of the oldest and newest run read (epoch ms). */
    oldestAt?: number;
    newestAt?: number;
  };
  /** Workflows with routed runs among those read, most routed runs first. */
  workflows: { id: string; routedRuns: number }[];
  capabilities: CapabilityRouting[];
  /** One sentence on what was read, for the page. */
  note: string;
}

type ReadResult = { facts: RunRoutingFacts; lineByLine: boolean } | { damaged: string };

/** Where the runs are read from: any store, and the files of a JSONL store. */
export interface RoutingSource {
  store: RunBrowser;
  files?: HistoryFiles;
}

/** Per store: each run's facts, by the version of its history (its file's size and mtime, or `finished`). */
const caches = new WeakMap<RunBrowser, Map<string, { version: string; result: ReadResult }>>();
const CACHE_SIZE = 20_000;
const LIST_PAGE = 500;

/**
 * Aggregates the routing decisions of the newest `limit` runs (of `workflow`, when given).
 *
 * @example
 * const report = await routingReport({ store: asRunBrowser(jsonl), files: jsonl }, { workflow: 'answer-desk', limit: 200 });
 * report.capabilities[0].candidates; // [{ worker: 'small-llm', attempts: 120, successRate: 0.81, meanCost: 0.002, p50LatencyMs: 640, … }, …]
 */
export async function routingReport(source: RoutingSource, options: { workflow?: string; limit?: number } = {}): Promise<RoutingReport> {
  const limit = clampLimit(options.limit);
  const { read, truncated, damaged, lineByLine } = await readNewest(source, options.workflow, limit);
  const routed = read.filter((f) => f.attempts.length > 0);
  const capabilities = aggregateRouting(routed);
  const byWorkflow = new Map<string, number>();
  for (const f of routed) byWorkflow.set(f.workflowId, (byWorkflow.get(f.workflowId) ?? 0) + 1);
  const starts = read.map((f) => f.startedAt);
  const report: RoutingReport = {
    ...(options.workflow ? { workflow: options.workflow } : {}),
    limit,
    runs: {
      read: read.length,
      routed: routed.length,
      truncated,
      damaged: damaged.slice(0, 20),
      damagedCount: damaged.length,
      readLineByLine: lineByLine,
      badDecisions: read.reduce((s, f) => s + f.badDecisions, 0),
      routerErrors: read.reduce((s, f) => s + f.routerErrors, 0),
      ...(starts.length ? { oldestAt: Math.min(...starts), newestAt: Math.max(...starts) } : {}),
    },
    workflows: [...byWorkflow].map(([id, routedRuns]) => ({ id, routedRuns })).sort((a, b) => b.routedRuns - a.routedRuns || a.id.localeCompare(b.id)),
    capabilities,
    note: '',
  };
  report.note = noteOf(report);
  return report;
}

/** `?limit=` as given, within 1..MAX_ROUTING_LIMIT; the default when absent or not a number. */
function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_ROUTING_LIMIT;
  return Math.max(1, Math.min(MAX_ROUTING_LIMIT, Math.trunc(limit)));
}

function noteOf(r: RoutingReport): string {
  const of = r.workflow ? ` of workflow ${r.workflow}` : '';
  if (r.runs.read === 0 && r.runs.damagedCount === 0) return `No runs${of} in this store yet.`;
  const scope = r.runs.truncated ? `the newest ${r.runs.read} runs${of} (limit ${r.limit}; older runs were not read)` : `all ${r.runs.read} runs${of}`;
  const damaged = r.runs.damagedCount ? `; ${r.runs.damagedCount} unreadable histor${r.runs.damagedCount === 1 ? 'y' : 'ies'} left out` : '';
  const errors = r.runs.routerErrors ? `; the router failed ${r.runs.routerErrors} time${r.runs.routerErrors === 1 ? '' : 's'}` : '';
  return `Read ${scope}: ${r.runs.routed} with routing decisions${damaged}${errors}.`;
}

/** The newest runs' facts, newest first, stopping at `limit` runs of `workflow`. */
async function readNewest(source: RoutingSource, workflow: string | undefined, limit: number) {
  const read: RunRoutingFacts[] = [];
  const damaged: { runId: string; reason: string }[] = [];
  let lineByLine = 0;
  for (let offset = 0; ; offset += LIST_PAGE) {
    const page = await source.store.listRuns({ offset, limit: LIST_PAGE });
    for (const s of page.runs) {
      // A listed workflow other than the one asked for: not read. A damaged listing may be a
      // history the store's parser does not fully know yet: read it to learn its workflow.
      if (workflow !== undefined && s.status !== 'damaged' && s.workflowId !== workflow) continue;
      if (read.length === limit) return { read, damaged, lineByLine, truncated: true };
      const result = await readRun(source, s);
      if ('damaged' in result) {
        damaged.push({ runId: s.runId, reason: result.damaged });
        continue;
      }
      if (workflow !== undefined && result.facts.workflowId !== workflow) continue;
      read.push(result.facts);
      if (result.lineByLine) lineByLine++;
    }
    if (page.runs.length < LIST_PAGE || offset + LIST_PAGE >= page.total) return { read, damaged, lineByLine, truncated: false };
  }
}

/** One run's facts, cached by the version of its history: its file's size and mtime, or, in a database store, once finished. */
async function readRun(source: RoutingSource, summary: RunSummary): Promise<ReadResult> {
  const { runId } = summary;
  let cache = caches.get(source.store);
  if (!cache) caches.set(source.store, (cache = new Map()));
  const version = versionOf(source, summary);
  const hit = cache.get(runId);
  if (version && hit && hit.version === version) return hit.result;
  const result = await readUncached(source, runId);
  if (version) {
    cache.delete(runId);
    cache.set(runId, { version, result });
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return result;
}

/** What changes when a history grows; undefined when that cannot be known (read it each time). */
function versionOf(source: RoutingSource, summary: RunSummary): string | undefined {
  if (!source.files) return FINAL.has(summary.status) ? 'finished' : undefined;
  try {
    const st = fs.statSync(source.files.pathOf(summary.runId));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** A run in one of these states never changes again. */
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

async function readUncached(source: RoutingSource, runId: string): Promise<ReadResult> {
  let strictError: unknown;
  try {
    const events = await source.store.read(runId);
    if (events.length > 0) return { facts: routingFactsOf(runId, events), lineByLine: false };
    strictError = new Error('the history has no events');
  } catch (e) {
    strictError = e;
  }
  const lines = source.files && readLines(source.files, runId);
  if (lines === undefined || (lines[0] as any)?.type !== 'run.started') {
    return { damaged: String((strictError as Error)?.message ?? strictError) };
  }
  return { facts: routingFactsOf(runId, lines), lineByLine: true };
}

/** The history's lines parsed one by one, lines that are not JSON objects left out; undefined when the file cannot be read. */
function readLines(files: HistoryFiles, runId: string): unknown[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(files.pathOf(runId), 'utf8');
  } catch {
    return undefined;
  }
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(v);
    } catch {
      // a damaged line: left out, the rest of the history still counts
    }
  }
  return out;
}
