import type { HistoryEvent, NewHistoryEvent } from '../../machines/history/events.ts';
import type { ControlChannel } from './control.ts';
import type { Ownership } from './ownership.ts';

/** How hard a write tries to survive: `batched` hands each flush to the OS (survives kill -9); `fsync` also syncs it to disk (survives power loss). */
export type Durability = 'batched' | 'fsync';

export interface HistoryWriter {
  /** Numbers the event (`seq`) and buffers it; returns the stored event. */
  append(event: NewHistoryEvent): HistoryEvent;
  /**
   * Hands buffered events to the OS (and fsyncs them with `fsync` durability). A database writer
   * returns a promise that settles when they are committed (group commit): nothing the buffered
   * events lead to starts before it resolves, and a rejection (a lost lease) stops the run here.
   */
  flush(): void | Promise<void>;
  /** Flushes, then gives the run up: another process may take it over (resume). */
  close(): void | Promise<void>;
  readonly lastSeq: number;
}

/**
 * A run's state as a listing sees it. `interrupted`: unfinished and its owner is gone (killed,
 * crashed, or stopped by SIGTERM): `orchestai resume` continues it. `damaged`: its history cannot
 * be read; `damage` says where.
 */
export type RunStatus = 'running' | 'interrupted' | 'succeeded' | 'failed' | 'cancelled' | 'damaged';

export const RUN_STATUSES: readonly RunStatus[] = ['running', 'interrupted', 'succeeded', 'failed', 'cancelled', 'damaged'];

export interface RunSummary {
  runId: string;
  workflowId: string;
  status: RunStatus;
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  cost?: number;
  instruction?: string;
  source?: string;
  /** For a damaged run: `file:line: reason`. */
  damage?: string;
  /** For an unfinished run: who holds it, if anyone. */
  owner?: { pid: number; host: string; alive: boolean };
}

/** Which runs to list: newest first, then filtered, then paged. */
export interface RunQuery {
  offset?: number;
  limit?: number;
  status?: RunStatus | readonly RunStatus[];
  workflowId?: string;
  /** Started at or after (epoch ms). */
  since?: number;
  /** Started before (epoch ms). */
  before?: number;
}

export interface ReadOptions {
  /** Called for a truncated last line, which is ignored (a crash mid-write). */
  onWarning?: (message: string) => void;
}

/** What `repair` did: the backup it kept and the bytes it cut (a torn last line). */
export interface RepairResult {
  file: string;
  backup?: string;
  removedBytes: number;
  events: number;
}

/**
 * What any history backend offers; the JSONL store is the embedded default, a database store can
 * implement the same. Writers own their run: `create` and `reopen` refuse a run that a live
 * process holds.
 */
export interface HistoryStore {
  readonly root: string;
  create(runId: string, durability?: Durability): HistoryWriter;
  /**
   * Takes a run over to append to it (resume). A torn last line (a writer killed mid-write) is cut
   * off, after the file is copied to a backup.
   */
  reopen(runId: string, durability?: Durability, options?: ReadOptions): { events: HistoryEvent[]; writer: HistoryWriter };
  read(runId: string, options?: ReadOptions): HistoryEvent[];
  exists(runId: string): boolean;
  /** Newest first; damaged histories are listed as `damaged`, never thrown. */
  listRuns(query?: RunQuery): { runs: RunSummary[]; total: number };
  pathOf(runId: string): string;
  /** The owner of an unfinished run (alive or not); undefined when no process holds it. */
  ownerOf(runId: string): Ownership | undefined;
  /** Requests to runs from other processes (approve, cancel). */
  readonly control: ControlChannel;
  /** Removes a run's history and everything kept for it; refuses a run a live process holds. */
  delete(runId: string): void;
  /** Cuts a torn last line off a history, keeping the original as a backup; refuses other damage. */
  repair(runId: string): RepairResult;
}
