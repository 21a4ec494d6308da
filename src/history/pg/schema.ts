import type { Pool } from 'pg';

/**
 * The tables of a PostgreSQL history store, all inside one schema (default `orchestai`), so
 * several stores can share a database:
 * - `runs`: one row per run: what it was submitted with, its status (`queued`, `running`, then
 *   `succeeded` | `failed` | `cancelled`), who holds it and until when, and `last_seq`, the seq of
 *   its last stored event (kept in the same transaction as the events, so a writer can fence on it);
 *   every commit updates the row, so pages keep room (fillfactor 70) for in-page (HOT) updates;
 * - `events`: the history, one row per event, `body` the whole event;
 * - `control`: requests to runs (approve, reject, cancel), oldest first by `n`.
 */

/** Run statuses a hub may still drive. */
export const UNFINISHED = `('queued', 'running')`;

/** Names in SQL and NOTIFY channels of a store living in `schema`. */
export interface Names {
  runs: string;
  events: string;
  control: string;
  /** Channel: a run was submitted or given up (payload: run id). */
  orphansChannel: string;
  /** Channel: events were committed (payload: `<runId>:<lastSeq>`). */
  eventsChannel: string;
  /** Channel: a control request was sent (payload: run id). */
  controlChannel: string;
}

/**
 * The qualified table names and channel names for a schema. The default schema uses the channels
 * `orchestai_orphans`, `orchestai_events`, `orchestai_control`; another schema `s` uses `s_orphans`…,
 * so stores in different schemas of one database do not wake each other.
 *
 * @example
 * namesFor('orchestai').runs // '"orchestai".runs'
 */
export function namesFor(schema: string): Names {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(schema)) throw new Error(`createPgStore: schema ${JSON.stringify(schema)} must be lower-case letters, digits and _ (at most 41), starting with a letter or _`);
  const q = `"${schema}"`;
  return {
    runs: `${q}.runs`,
    events: `${q}.events`,
    control: `${q}.control`,
    orphansChannel: `${schema}_orphans`,
    eventsChannel: `${schema}_events`,
    controlChannel: `${schema}_control`,
  };
}

function ddl(schema: string, n: Names): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE IF NOT EXISTS ${n.runs} (
      id text PRIMARY KEY,
      workflow_id text NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      priority integer NOT NULL DEFAULT 0,
      input jsonb,
      source text,
      instruction text,
      holder text,
      lease_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      cost double precision,
      duration_ms double precision,
      last_seq integer NOT NULL DEFAULT 0
    ) WITH (fillfactor = 70)`,
    `CREATE INDEX IF NOT EXISTS runs_orphans ON ${n.runs} (status, priority, created_at) WHERE status IN ${UNFINISHED}`,
    `CREATE INDEX IF NOT EXISTS runs_newest ON ${n.runs} ((coalesce(started_at, created_at)) DESC, id DESC)`,
    `CREATE TABLE IF NOT EXISTS ${n.events} (
      run_id text NOT NULL,
      seq integer NOT NULL,
      type text NOT NULL,
      t bigint NOT NULL,
      body jsonb NOT NULL,
      PRIMARY KEY (run_id, seq)
    )`,
    `CREATE TABLE IF NOT EXISTS ${n.control} (
      n bigserial,
      run_id text NOT NULL REFERENCES ${n.runs} (id) ON DELETE CASCADE,
      id text NOT NULL,
      t bigint NOT NULL,
      body jsonb NOT NULL,
      PRIMARY KEY (run_id, id)
    )`,
  ];
}

/**
 * Creates the schema and its tables when missing. Several processes may start at once against an
 * empty database: a transaction-scoped advisory lock makes them take turns (concurrent
 * `CREATE ... IF NOT EXISTS` can otherwise fail on the catalog's unique indexes).
 *
 * @example
 * await ensureSchema(pool, 'orchestai');
 */
export async function ensureSchema(pool: Pool, schema: string): Promise<void> {
  const n = namesFor(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`orchestai-schema:${schema}`]);
    for (const statement of ddl(schema, n)) await client.query(statement);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new Error(`cannot create the tables in schema ${schema}: ${(e as Error).message}`);
  } finally {
    client.release();
  }
}
