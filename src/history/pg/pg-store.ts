import type { Pool } from 'pg';
import type { HistoryEvent } from '../../../machines/history/events.ts';
import type { Json } from '../../../transformers/index.ts';
import type { ControlChannel, ControlRequest } from '../control.ts';
import { UnknownRunError, type ClaimedRun, type NewRunMeta, type RunStore } from '../run-store.ts';
import type { HistoryWriter } from '../store.ts';
import { ControlCache } from './control.ts';
import { Followers } from './follow.ts';
import { GroupCommitter, type CommitStats } from './group-commit.ts';
import { listRuns } from './list-runs.ts';
import { displayUrl } from './location.ts';
import { Listener } from './notify.ts';
import { OrphanWatch } from './orphans.ts';
import { ensureSchema, namesFor, UNFINISHED, type Names } from './schema.ts';
import { PgWriter } from './writer.ts';

export interface PgStoreOptions {
  /** How long a claim or a renewal holds a run; default 30 s. A hub renews well within it. */
  leaseMs?: number;
  /** The PostgreSQL schema holding the tables (created when missing); default `orchestai`. */
  schema?: string;
  /** Pool size; default 10. Group commit needs one connection whatever the number of runs. */
  max?: number;
  /** How often `onOrphan` looks for expired leases (a dead hub sends no notification); default leaseMs / 2, 200 ms to 5 s. */
  orphanPollMs?: number;
}

/** The PostgreSQL `RunStore`, plus what its hub and its tests use. */
export interface PgStore extends RunStore {
  readonly kind: 'postgres';
  readonly leaseMs: number;
  /** Group commit so far: transactions (`batches`) for `flushes` flush calls carrying `events` events. */
  readonly stats: Readonly<CommitStats>;
  /**
   * A synchronous `ControlChannel` for the live engine: `requests` answers from a cache holding the
   * requests of the runs claimed here, which LISTEN keeps current; `watch` reports new ones.
   */
  controlChannel(onError?: (error: Error) => void): ControlChannel;
  /** As `RunStore.claim`, with a writer whose flush and close always return promises. */
  claim(runId: string, holder: string): Promise<PgClaimedRun | undefined>;
}

/** A claimed run on PostgreSQL: its writer's `flush()` resolves once committed, and rejects with `LeaseLostError` once the run is lost. */
export interface PgClaimedRun extends ClaimedRun {
  writer: AsyncHistoryWriter;
}

export interface AsyncHistoryWriter extends HistoryWriter {
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A `?schema=name` in the URL picks the schema (for command lines, which take one URL); it is
 * taken out before the URL reaches the driver.
 *
 * @example
 * schemaOfUrl('postgres://db/app?schema=team_a') // { url: 'postgres://db/app', schema: 'team_a' }
 */
export function schemaOfUrl(url: string): { url: string; schema?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url };
  }
  const schema = u.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { url };
  u.searchParams.delete('schema');
  return { url: u.toString(), schema };
}

const FINAL_SQL = `('succeeded', 'failed', 'cancelled')`;

/**
 * Opens (and on first use creates, in `schema`) a history store in PostgreSQL. Events are
 * group-committed: all the runs this process drives share one committer, so concurrent flushes
 * cost one transaction per batch. Writes are fenced by leases: a writer whose run another holder
 * took over gets a `LeaseLostError` and stores nothing. `close()` ends the pool, the listening
 * connection and the timers.
 *
 * @example
 * const store = await createPgStore('postgres://app:secret@db/orchestai', { leaseMs: 15_000 });
 * await store.submit(runId, { workflowId: 'triage' }, { ticket: 42 });
 * const claimed = await store.claim(runId, 'hub-1');
 */
export async function createPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  const { default: pg } = await import('pg'); // loaded only by those who use PostgreSQL
  const { url: connectionString, schema: fromUrl } = schemaOfUrl(url);
  const location = displayUrl(url);
  const schema = options.schema ?? fromUrl ?? 'orchestai';
  const leaseMs = options.leaseMs ?? 30_000;
  if (!(leaseMs > 0)) throw new Error(`createPgStore: leaseMs must be a positive number of milliseconds, got ${leaseMs}`);
  const names = namesFor(schema);
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  pool.on('error', () => undefined); // an idle connection dropped (server restart): the pool replaces it
  try {
    await ensureSchema(pool, schema);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`createPgStore ${location}: ${(e as Error).message}`);
  }
  const channels = [names.eventsChannel, names.orphansChannel, names.controlChannel];
  const listener = new Listener(() => new pg.Client({ connectionString }), channels);
  return new PgRunStore(pool, names, location, leaseMs, listener, options.orphanPollMs ?? Math.min(5_000, Math.max(200, leaseMs / 2)));
}

class PgRunStore implements PgStore {
  readonly kind = 'postgres' as const;
  private readonly committer: GroupCommitter;
  private readonly followers: Followers;
  private readonly control: ControlCache;
  private readonly orphanWatch: OrphanWatch;
  private closed?: Promise<void>;

  constructor(
    private readonly pool: Pool,
    private readonly n: Names,
    readonly location: string,
    readonly leaseMs: number,
    private readonly listener: Listener,
    orphanPollMs: number,
  ) {
    this.committer = new GroupCommitter(pool, n);
    this.followers = new Followers(listener, n.eventsChannel, (runId, after) => this.eventsAfter(runId, after));
    this.control = new ControlCache(listener, n.controlChannel, (runId) => this.controlRequests(runId), (runId, request) => this.sendControl(runId, request));
    this.orphanWatch = new OrphanWatch(listener, n.orphansChannel, orphanPollMs, () => this.anyOrphan());
  }

  get stats(): Readonly<CommitStats> {
    return this.committer.stats;
  }

  async submit(runId: string, meta: NewRunMeta, input: Json): Promise<void> {
    try {
      await this.pool.query(
        `WITH ins AS (INSERT INTO ${this.n.runs} (id, workflow_id, priority, input, source, instruction) VALUES ($1, $2, $3, $4::jsonb, $5, $6) RETURNING id)
         SELECT pg_notify($7, id) FROM ins`,
        [runId, meta.workflowId, meta.priority ?? 0, JSON.stringify(input ?? null), meta.source ?? null, meta.instruction ?? null, this.n.orphansChannel],
      );
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw new Error(`submit: run ${runId} already exists in ${this.location}`);
      throw new Error(`submit: run ${runId}: ${(e as Error).message}`);
    }
  }

  async claim(runId: string, holder: string): Promise<PgClaimedRun | undefined> {
    const taken = await this.pool.query<{ workflow_id: string; priority: number; source: string | null; instruction: string | null; input: Json; last_seq: number }>(
      `UPDATE ${this.n.runs} SET holder = $2, lease_until = now() + make_interval(secs => $3::float8 / 1000)
       WHERE id = $1 AND status IN ${UNFINISHED} AND (holder IS NULL OR lease_until < now() OR holder = $2)
       RETURNING workflow_id, priority, source, instruction, input, last_seq`,
      [runId, holder, this.leaseMs],
    );
    if (taken.rowCount === 0) return undefined;
    const row = taken.rows[0];
    // A second statement, so a fresh snapshot: it sees every event up to the last_seq just read,
    // even those a previous holder committed while this claim waited for the row.
    const { rows } = await this.pool.query<{ events: HistoryEvent[]; control: ControlRequest[] }>(
      `SELECT (SELECT coalesce(json_agg(body ORDER BY seq), '[]') FROM ${this.n.events} WHERE run_id = $1 AND seq <= $2) AS events,
              (SELECT coalesce(json_agg(body ORDER BY n), '[]') FROM ${this.n.control} WHERE run_id = $1) AS control`,
      [runId, row.last_seq],
    );
    const events = rows[0].events.map(inOrder);
    const { control } = rows[0];
    if (events.length !== row.last_seq) throw new Error(`claim: run ${runId} in ${this.location} has ${events.length} events but last_seq ${row.last_seq}: its history is damaged`);
    this.control.set(runId, control);
    const meta: NewRunMeta = { workflowId: row.workflow_id, priority: row.priority, ...(row.source ? { source: row.source } : {}), ...(row.instruction ? { instruction: row.instruction } : {}) };
    const writer = new PgWriter(runId, holder, row.last_seq, this.committer, (w) => this.letGo(w));
    return { meta, input: row.input, events, writer };
  }

  async orphans(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM ${this.n.runs} WHERE status IN ${UNFINISHED} AND (holder IS NULL OR lease_until < now())
       ORDER BY priority, created_at, id LIMIT $1`,
      [Math.max(0, Math.floor(limit))],
    );
    return rows.map((r) => r.id);
  }

  onOrphan(onSubmitted: () => void): () => void {
    return this.orphanWatch.on(onSubmitted);
  }

  async release(holder: string, runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.pool.query(
      `WITH r AS (UPDATE ${this.n.runs} SET holder = NULL, lease_until = NULL WHERE id = ANY($1::text[]) AND holder = $2 AND status IN ${UNFINISHED} RETURNING id)
       SELECT pg_notify($3, id) FROM r`,
      [[...runIds], holder, this.n.orphansChannel],
    );
    for (const runId of runIds) this.control.forget(runId);
  }

  async renew(holder: string, runIds: readonly string[]): Promise<string[]> {
    if (runIds.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string }>(
      `WITH r AS (UPDATE ${this.n.runs} SET lease_until = now() + make_interval(secs => $3::float8 / 1000)
                  WHERE id = ANY($1::text[]) AND holder = $2 AND status IN ${UNFINISHED} RETURNING id)
       SELECT x.id FROM unnest($1::text[]) AS x(id)
       WHERE x.id NOT IN (SELECT id FROM r) AND NOT EXISTS (SELECT 1 FROM ${this.n.runs} f WHERE f.id = x.id AND f.status IN ${FINAL_SQL})`,
      [[...runIds], holder, this.leaseMs],
    );
    return rows.map((r) => r.id);
  }

  async read(runId: string, afterSeq = 0): Promise<HistoryEvent[]> {
    const events = await this.eventsAfter(runId, afterSeq);
    if (events.length === 0 && !(await this.exists(runId))) throw new UnknownRunError(runId);
    return events;
  }

  async exists(runId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM ${this.n.runs} WHERE id = $1`, [runId]);
    return rowCount !== 0;
  }

  listRuns(query?: Parameters<RunStore['listRuns']>[0]) {
    return listRuns(this.pool, this.n, query);
  }

  async holderOf(runId: string): Promise<{ holder: string; alive: boolean; leaseUntil?: number } | undefined> {
    const { rows } = await this.pool.query<{ holder: string | null; alive: boolean; lease_ms: number | null }>(
      `SELECT holder, coalesce(lease_until >= now(), false) AS alive, (extract(epoch FROM lease_until) * 1000)::float8 AS lease_ms FROM ${this.n.runs} WHERE id = $1`,
      [runId],
    );
    const row = rows[0];
    if (!row?.holder) return undefined;
    return { holder: row.holder, alive: row.alive, ...(row.lease_ms === null ? {} : { leaseUntil: row.lease_ms }) };
  }

  follow(runId: string, afterSeq: number, onEvent: (event: HistoryEvent) => void): () => void {
    if (this.closed) throw new Error(`follow: the store at ${this.location} is closed`);
    return this.followers.follow(runId, afterSeq, onEvent);
  }

  async sendControl(runId: string, request: ControlRequest): Promise<void> {
    try {
      await this.pool.query(
        `WITH ins AS (INSERT INTO ${this.n.control} (run_id, id, t, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (run_id, id) DO NOTHING RETURNING run_id)
         SELECT pg_notify($5, run_id) FROM ins`,
        [runId, request.id, Math.round(request.t), JSON.stringify(request), this.n.controlChannel],
      );
    } catch (e) {
      if ((e as { code?: string }).code === '23503') throw new UnknownRunError(runId);
      throw new Error(`sendControl: run ${runId}, request ${request.id}: ${(e as Error).message}`);
    }
  }

  async controlRequests(runId: string): Promise<ControlRequest[]> {
    const { rows } = await this.pool.query<{ body: ControlRequest }>(`SELECT body FROM ${this.n.control} WHERE run_id = $1 ORDER BY n`, [runId]);
    return rows.map((r) => r.body);
  }

  async delete(runId: string): Promise<void> {
    // One statement: the run goes with its events and requests only if no live lease holds it.
    const { rows } = await this.pool.query<{ id: string }>(
      `WITH gone AS (DELETE FROM ${this.n.runs} WHERE id = $1 AND (holder IS NULL OR lease_until < now()) RETURNING id),
            e AS (DELETE FROM ${this.n.events} WHERE run_id IN (SELECT id FROM gone)),
            c AS (DELETE FROM ${this.n.control} WHERE run_id IN (SELECT id FROM gone))
       SELECT id FROM gone`,
      [runId],
    );
    if (rows.length > 0) return;
    const holder = await this.holderOf(runId);
    if (holder?.alive) throw new Error(`run ${runId} is held by ${holder.holder} (lease live): it is still running there; cancel it first`);
    throw new UnknownRunError(runId);
  }

  controlChannel(onError?: (error: Error) => void): ControlChannel {
    return this.control.channel(onError);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.committer.idle(); // flushes already handed over still commit
      this.orphanWatch.close();
      this.followers.close();
      await this.listener.close();
      await this.pool.end();
    })();
    return this.closed;
  }

  /** Events after `afterSeq`, in order; none for an unknown run. */
  private async eventsAfter(runId: string, afterSeq: number): Promise<HistoryEvent[]> {
    const { rows } = await this.pool.query<{ body: HistoryEvent }>(`SELECT body FROM ${this.n.events} WHERE run_id = $1 AND seq > $2 ORDER BY seq`, [runId, afterSeq]);
    return rows.map((r) => inOrder(r.body));
  }

  private async anyOrphan(): Promise<boolean> {
    const { rows } = await this.pool.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${this.n.runs} WHERE status IN ${UNFINISHED} AND (holder IS NULL OR lease_until < now())) AS any`,
    );
    return rows[0].any;
  }

  /** A writer closed: give its run up (unless it finished, or another holder has it) so another hub may go on at once. */
  private async letGo(writer: PgWriter): Promise<void> {
    this.control.forget(writer.runId);
    await this.pool.query(
      `WITH r AS (UPDATE ${this.n.runs} SET holder = NULL, lease_until = NULL WHERE id = $1 AND holder = $2 AND status IN ${UNFINISHED} RETURNING id)
       SELECT pg_notify($3, id) FROM r`,
      [writer.runId, writer.holder, this.n.orphansChannel],
    );
  }
}

/** jsonb keeps keys in its own order: put `seq`, `type` and `t` first again, as a JSONL history has them. */
function inOrder(event: HistoryEvent): HistoryEvent {
  const { seq, type, t, ...rest } = event;
  return { seq, type, t, ...rest } as HistoryEvent;
}
