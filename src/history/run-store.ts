import type { HistoryEvent } from '../../machines/history/events.ts';
import type { Json } from '../../transformers/index.ts';
import type { ControlChannel, ControlRequest } from './control.ts';
import type { HistoryWriter, RunQuery, RunSummary } from './store.ts';

/**
 * The asynchronous face of a history backend, for what may run on many machines: hubs that drive
 * runs, the server and the viewer. The JSONL store offers the reading half through `asRunBrowser(store)`; the
 * PostgreSQL store (`createPgStore`) implements it directly. Runs are held by leases: a hub holds
 * each run it drives for `leaseMs` and renews the lease while it lives; a run whose lease expired
 * may be taken over by another hub (`claim`), which continues it by replay then live execution.
 */
export interface RunStore {
  /** `jsonl` or `postgres`. */
  readonly kind: string;
  /** Where the histories are: a folder, or the database URL without its password. */
  readonly location: string;
  /**
   * Records a run to start: its row (workflow, input, priority) with no events and no holder. A hub
   * claims it and writes `run.started`. Rejects an id already taken. Notifies waiting hubs.
   */
  submit(runId: string, meta: NewRunMeta, input: Json): Promise<void>;
  /**
   * Takes a run over: succeeds when no one holds it or its lease expired (or `holder` already
   * holds it), then returns what it was submitted with, its events (none for a run not started
   * yet) and a writer appending after them. Resolves `undefined` when a live holder has it or it
   * is finished.
   */
  claim(runId: string, holder: string): Promise<ClaimedRun | undefined>;
  /** Unfinished runs no live lease holds (submitted, or whose hub died): by priority, then oldest first. */
  orphans(limit: number): Promise<string[]>;
  /** Calls `onSubmitted` soon after a run is submitted or a lease is given up (NOTIFY), so hubs need not poll fast; returns the unsubscribe. */
  onOrphan(onSubmitted: () => void): () => void;
  /** Gives runs up at once (a hub stopping): others may claim them without waiting for the lease. */
  release(holder: string, runIds: readonly string[]): Promise<void>;
  /** Extends the leases of these runs held by `holder`; returns the ids whose lease it lost. */
  renew(holder: string, runIds: readonly string[]): Promise<string[]>;
  /** Events after `afterSeq` (default 0), in order. Rejects an unknown run with `UnknownRunError`. */
  read(runId: string, afterSeq?: number): Promise<HistoryEvent[]>;
  exists(runId: string): Promise<boolean>;
  /** Newest first. */
  listRuns(query?: RunQuery): Promise<{ runs: RunSummary[]; total: number }>;
  /** The run's holder and whether its lease is live; undefined when unheld. */
  holderOf(runId: string): Promise<{ holder: string; alive: boolean; leaseUntil?: number } | undefined>;
  /** Calls `onEvent` for each event appended to the run after `afterSeq` (NOTIFY, or polling); returns the unsubscribe. */
  follow(runId: string, afterSeq: number, onEvent: (event: HistoryEvent) => void): () => void;
  /** Durably records a request (approve, reject, cancel) to a run; its holder applies it within a second. */
  sendControl(runId: string, request: ControlRequest): Promise<void>;
  /** Every request ever sent to the run, oldest first. */
  controlRequests(runId: string): Promise<ControlRequest[]>;
  /** Removes a run and everything kept for it; rejects a run a live holder has (or an unknown one). */
  delete(runId: string): Promise<void>;
  /**
   * A synchronous channel for the live engine (its `requests` answers from memory kept current by
   * notifications), when the store offers one; hubs use it to apply approvals and cancellations.
   */
  controlChannel?(): ControlChannel;
  /** Stops pools, listeners and timers. */
  close(): Promise<void>;
}

export interface ClaimedRun {
  meta: NewRunMeta;
  input: Json;
  events: HistoryEvent[];
  writer: HistoryWriter;
}

/** What a runs table keeps beside the events, set when a run is created. */
export interface NewRunMeta {
  workflowId: string;
  /** Lower runs first when hubs pick work (BullMQ's convention); default 0. */
  priority?: number;
  source?: string;
  instruction?: string;
}

/** A run id the store has never seen. */
export class UnknownRunError extends Error {
  override name = 'UnknownRunError';
  constructor(readonly runId: string) {
    super(`no run ${runId} in the store`);
  }
}

/** What the server and the viewer read and send through: any store's runs, events and control requests. */
export type RunBrowser = Pick<RunStore, 'kind' | 'location' | 'read' | 'exists' | 'listRuns' | 'holderOf' | 'follow' | 'sendControl' | 'controlRequests' | 'delete'>;
