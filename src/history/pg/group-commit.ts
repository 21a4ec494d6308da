import type { Pool } from 'pg';
import type { HistoryEvent } from '../../../machines/history/events.ts';
import { LeaseLostError } from './errors.ts';
import type { Names } from './schema.ts';

/** Who appends to a run: the committer fences each run's events on its holder. */
export interface Appender {
  readonly runId: string;
  readonly holder: string;
}

interface Part {
  appender: Appender;
  events: HistoryEvent[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/** One run's share of a batch: its events and what they change in its `runs` row. */
interface RunShare {
  appender: Appender;
  events: HistoryEvent[];
  parts: Part[];
}

/** Counters for tests and benchmarks: `batches` transactions carried `events` events for `flushes` flush calls. */
export interface CommitStats {
  batches: number;
  events: number;
  flushes: number;
}

/** A batch stops growing at this many events (one statement stays a few megabytes at most). */
const MAX_BATCH_EVENTS = 4_000;

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Group commit: one committer per store gathers the flushed events of every writer (every run this
 * process drives) and stores them in one transaction, one statement: while a batch is being
 * committed the next one accumulates, so a thousand runs flushing at once cost a handful of
 * commits, not a thousand. Each run's events are fenced: they are stored only if the run is still
 * held by the writer's holder and its stored `last_seq` is the one the writer continues from;
 * otherwise that run's flush is rejected with a `LeaseLostError` and the other runs of the batch
 * still commit.
 *
 * @example
 * const committer = new GroupCommitter(pool, namesFor('orchestai'));
 * await committer.commit({ runId, holder }, [event]);
 */
export class GroupCommitter {
  readonly stats: CommitStats = { batches: 0, events: 0, flushes: 0 };
  private queue: Part[] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private readonly sql: string;

  constructor(
    private readonly pool: Pool,
    private readonly names: Names,
  ) {
    this.sql = commitStatement(names);
  }

  /** Resolves once these events are committed; rejects (`LeaseLostError`, or the database's error) if they were not. */
  commit(appender: Appender, events: HistoryEvent[]): Promise<void> {
    this.stats.flushes++;
    return new Promise((resolve, reject) => {
      this.queue.push({ appender, events, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain()); // let the flushes of this turn join the batch
      }
    });
  }

  /** Resolves when nothing is queued or being committed. */
  idle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const { batch, rest } = takeBatch(this.queue);
      this.queue = rest;
      await this.commitBatch(batch);
      // Writers woken by this commit append and flush in their own continuations: let them queue.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.draining = false;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async commitBatch(shares: RunShare[]): Promise<void> {
    this.stats.batches++;
    let stored: Set<string>;
    try {
      stored = await this.run(shares);
    } catch {
      // One run's bad event (or a seq conflict) must not sink the others: commit them one by one.
      return this.commitEach(shares);
    }
    for (const share of shares) settle(share, stored.has(share.appender.runId) ? undefined : lost(share));
  }

  private async commitEach(shares: RunShare[]): Promise<void> {
    for (const share of shares) {
      this.stats.batches++;
      try {
        const stored = await this.run([share]);
        settle(share, stored.has(share.appender.runId) ? undefined : lost(share));
      } catch (e) {
        const error = (e as { code?: string }).code === '23505' ? lost(share, 'another writer stored these seqs first') : failed(share, e as Error);
        settle(share, error);
      }
    }
  }

  /** Runs the commit statement; resolves the ids of the runs whose events it stored. */
  private async run(shares: RunShare[]): Promise<Set<string>> {
    // Not a named (prepared) statement on purpose: after five runs PostgreSQL may switch it to a
    // generic plan, which cannot see the arrays' sizes and scans the whole runs table.
    const result = await this.pool.query<{ id: string }>(this.sql, parameters(shares, this.names.eventsChannel));
    const stored = new Set(result.rows.map((r) => r.id));
    for (const share of shares) if (stored.has(share.appender.runId)) this.stats.events += share.events.length;
    return stored;
  }
}

/**
 * The next batch: whole flushes, in order, grouped by writer, up to MAX_BATCH_EVENTS. A second
 * writer for a run already in the batch (the same holder claimed it twice) waits for the next one,
 * so each run appears once in the statement.
 */
function takeBatch(queue: Part[]): { batch: RunShare[]; rest: Part[] } {
  const byAppender = new Map<Appender, RunShare>();
  const runs = new Set<string>();
  const rest: Part[] = [];
  const deferred = new Set<Appender>(); // once one flush of a writer waits, its later ones wait too
  let size = 0;
  for (const part of queue) {
    const share = byAppender.get(part.appender);
    const full = size > 0 && size + part.events.length > MAX_BATCH_EVENTS;
    if (full || deferred.has(part.appender) || (!share && runs.has(part.appender.runId))) {
      deferred.add(part.appender);
      rest.push(part);
      continue;
    }
    size += part.events.length;
    if (share) {
      share.events.push(...part.events);
      share.parts.push(part);
    } else {
      runs.add(part.appender.runId);
      byAppender.set(part.appender, { appender: part.appender, events: [...part.events], parts: [part] });
    }
  }
  return { batch: [...byAppender.values()], rest };
}

function settle(share: RunShare, error: Error | undefined): void {
  for (const part of share.parts) error ? part.reject(error) : part.resolve();
}

function lost(share: RunShare, detail?: string): LeaseLostError {
  return new LeaseLostError(share.appender.runId, share.appender.holder, detail);
}

function failed(share: RunShare, e: Error): Error {
  const first = share.events[0]?.seq;
  return new Error(`run ${share.appender.runId}: storing events ${first}..${first + share.events.length - 1} failed: ${e.message}`);
}

/**
 * One statement, so one round trip and an implicit transaction: lock the rows of the runs still
 * held by the batch's holders at the expected `last_seq` (in id order, so concurrent hubs cannot
 * deadlock), insert those runs' events, update their rows (status, times, cost, `last_seq`; a
 * finished run lets its holder go), and NOTIFY each stored run's new last seq.
 */
function commitStatement(n: Names): string {
  return `
WITH u AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::float8[], $7::float8[], $8::float8[], $9::float8[])
    AS u(id, holder, prev_seq, last_seq, status, started_ms, finished_ms, cost, duration_ms)
), held AS (
  SELECT r.id FROM ${n.runs} r JOIN u ON u.id = r.id
  WHERE r.holder = u.holder AND r.last_seq = u.prev_seq AND r.status IN ('queued', 'running')
  ORDER BY r.id
  FOR UPDATE OF r
), ins AS (
  INSERT INTO ${n.events} (run_id, seq, type, t, body)
  SELECT e.run_id, e.seq, e.type, e.t, e.body
  FROM unnest($10::text[], $11::int[], $12::text[], $13::bigint[], $14::jsonb[]) AS e(run_id, seq, type, t, body)
  WHERE e.run_id IN (SELECT id FROM held)
), upd AS (
  UPDATE ${n.runs} r SET
    last_seq = u.last_seq,
    status = coalesce(u.status, r.status),
    started_at = coalesce(to_timestamp(u.started_ms / 1000.0), r.started_at),
    finished_at = coalesce(to_timestamp(u.finished_ms / 1000.0), r.finished_at),
    cost = coalesce(u.cost, r.cost),
    duration_ms = coalesce(u.duration_ms, r.duration_ms),
    holder = CASE WHEN u.status IN ('succeeded', 'failed', 'cancelled') THEN NULL ELSE r.holder END,
    lease_until = CASE WHEN u.status IN ('succeeded', 'failed', 'cancelled') THEN NULL ELSE r.lease_until END
  FROM u
  WHERE r.id = u.id AND r.id IN (SELECT id FROM held)
  RETURNING r.id, r.last_seq
)
SELECT id, pg_notify($15, id || ':' || last_seq) FROM upd`;
}

function parameters(shares: RunShare[], channel: string): unknown[] {
  const runs = { id: [] as string[], holder: [] as string[], prev: [] as number[], last: [] as number[], status: [] as (string | null)[], started: [] as (number | null)[], finished: [] as (number | null)[], cost: [] as (number | null)[], duration: [] as (number | null)[] };
  const ev = { run: [] as string[], seq: [] as number[], type: [] as string[], t: [] as number[], body: [] as string[] };
  for (const { appender, events } of shares) {
    const row = rowChanges(events);
    runs.id.push(appender.runId);
    runs.holder.push(appender.holder);
    runs.prev.push(events[0].seq - 1);
    runs.last.push(events[events.length - 1].seq);
    runs.status.push(row.status);
    runs.started.push(row.startedMs);
    runs.finished.push(row.finishedMs);
    runs.cost.push(row.cost);
    runs.duration.push(row.durationMs);
    for (const e of events) {
      ev.run.push(appender.runId);
      ev.seq.push(e.seq);
      ev.type.push(e.type);
      ev.t.push(Math.round(e.t));
      ev.body.push(JSON.stringify(e));
    }
  }
  return [runs.id, runs.holder, runs.prev, runs.last, runs.status, runs.started, runs.finished, runs.cost, runs.duration, ev.run, ev.seq, ev.type, ev.t, ev.body, channel];
}

/** What a run's events change in its row: started and resumed runs are running, a finished one has its outcome. */
function rowChanges(events: readonly HistoryEvent[]) {
  const row = { status: null as string | null, startedMs: null as number | null, finishedMs: null as number | null, cost: null as number | null, durationMs: null as number | null };
  for (const e of events) {
    if (e.type === 'run.started') Object.assign(row, { status: 'running', startedMs: e.t });
    else if (e.type === 'run.resumed' && !FINAL.has(row.status ?? '')) row.status = 'running';
    else if (e.type === 'run.finished') Object.assign(row, { status: e.status, finishedMs: e.t, cost: e.cost, durationMs: e.durationMs });
  }
  return row;
}
