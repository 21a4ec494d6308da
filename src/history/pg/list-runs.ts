import type { Pool } from 'pg';
import type { RunQuery, RunStatus, RunSummary } from '../store.ts';
import type { Names } from './schema.ts';

/**
 * A run's status as listings show it, computed in SQL: a finished run has its outcome; an
 * unfinished one is `running` while a live lease holds it or while it waits, never claimed, in
 * the queue (`queued` has no status of its own in RunSummary), and `interrupted` when its holder's
 * lease expired or the holder gave it up: another hub (or `resume`) continues it.
 */
const VIEW_STATUS = `CASE
  WHEN status IN ('succeeded', 'failed', 'cancelled') THEN status
  WHEN holder IS NOT NULL AND lease_until >= now() THEN 'running'
  WHEN status = 'queued' AND holder IS NULL THEN 'running'
  ELSE 'interrupted' END`;

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

interface Row {
  id: string;
  workflow_id: string;
  view_status: RunStatus;
  started_ms: number;
  finished_ms: number | null;
  duration_ms: number | null;
  cost: number | null;
  instruction: string | null;
  source: string | null;
  holder: string | null;
  alive: boolean;
}

/**
 * The runs a query selects, newest first (by start, or by submission for runs not started), with
 * the total before paging. Filters are parameters; `limit` and `offset` are integers.
 *
 * @example
 * await listRuns(pool, names, { status: 'interrupted', limit: 20 });
 */
export async function listRuns(pool: Pool, n: Names, query: RunQuery = {}): Promise<{ runs: RunSummary[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.status !== undefined) where.push(`view_status = ANY(${param(typeof query.status === 'string' ? [query.status] : [...query.status])}::text[])`);
  if (query.workflowId !== undefined) where.push(`workflow_id = ${param(query.workflowId)}`);
  if (query.since !== undefined) where.push(`started >= to_timestamp(${param(query.since)}::float8 / 1000)`);
  if (query.before !== undefined) where.push(`started < to_timestamp(${param(query.before)}::float8 / 1000)`);
  const from = `FROM (SELECT *, ${VIEW_STATUS} AS view_status, coalesce(started_at, created_at) AS started FROM ${n.runs}) r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const filters = params.length;
  const limit = query.limit === undefined ? 'ALL' : param(Math.max(0, Math.floor(query.limit)));
  const offset = param(Math.max(0, Math.floor(query.offset ?? 0)));
  // Two queries, so the page can walk the runs_newest index instead of counting every row first.
  const [page, count] = await Promise.all([
    pool.query<Row>(
      `SELECT id, workflow_id, view_status, ${ms('started')} AS started_ms, ${ms('finished_at')} AS finished_ms, duration_ms, cost,
              instruction, source, holder, coalesce(lease_until >= now(), false) AS alive
       ${from} ORDER BY started DESC, id DESC LIMIT ${limit} OFFSET ${offset}`,
      params,
    ),
    pool.query<{ total: string }>(`SELECT count(*) AS total ${from}`, params.slice(0, filters)),
  ]);
  return { runs: page.rows.map(summary), total: Number(count.rows[0].total) };
}

function summary(r: Row): RunSummary {
  const finished = r.finished_ms !== null;
  return {
    runId: r.id,
    workflowId: r.workflow_id,
    status: r.view_status,
    startedAt: r.started_ms,
    ...(finished ? { finishedAt: r.finished_ms!, durationMs: r.duration_ms ?? undefined, cost: r.cost ?? undefined } : {}),
    ...(r.instruction ? { instruction: r.instruction } : {}),
    ...(r.source ? { source: r.source } : {}),
    ...(!finished && r.holder ? { owner: { pid: 0, host: r.holder, alive: r.alive } } : {}),
  };
}
