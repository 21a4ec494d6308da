import type { HistoryEvent, NewHistoryEvent } from '../../machines/history/events.ts';

/** How hard a write tries to survive: `batched` hands each flush to the OS (survives kill -9); `fsync` also syncs it to disk (survives power loss). */
export type Durability = 'batched' | 'fsync';

export interface HistoryWriter {
  /** Numbers the event (`seq`) and buffers it; returns the stored event. */
  append(event: NewHistoryEvent): HistoryEvent;
  /** Hands buffered events to the OS (and fsyncs them with `fsync` durability). */
  flush(): void;
  close(): void;
  readonly lastSeq: number;
}

export interface RunSummary {
  runId: string;
  workflowId: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  cost?: number;
  instruction?: string;
  source?: string;
}

export interface ReadOptions {
  /** Called for a truncated last line, which is ignored (a crash mid-write). */
  onWarning?: (message: string) => void;
}

/** What any history backend offers; the JSONL store is the embedded default, a database store can implement the same. */
export interface HistoryStore {
  readonly root: string;
  create(runId: string, durability?: Durability): HistoryWriter;
  /** Re-opens a run's history to append to it (resume); a truncated last line is cut off first. */
  reopen(runId: string, durability?: Durability, options?: ReadOptions): { events: HistoryEvent[]; writer: HistoryWriter };
  read(runId: string, options?: ReadOptions): HistoryEvent[];
  exists(runId: string): boolean;
  /** Newest first. */
  listRuns(page?: { offset?: number; limit?: number }): { runs: RunSummary[]; total: number };
  pathOf(runId: string): string;
}
