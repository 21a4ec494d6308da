import type { HistoryEvent, NewHistoryEvent } from '../../../machines/history/events.ts';
import type { HistoryWriter } from '../store.ts';
import type { Appender, GroupCommitter } from './group-commit.ts';

/**
 * A run's writer on a PostgreSQL store: `append` numbers and buffers (synchronous, no I/O),
 * `flush` hands the buffer to the store's group committer and resolves once everything appended
 * so far is committed. After a failed flush (a lost lease) every later flush rejects with the same
 * error: the run's history here has a hole, so this writer must not go on.
 *
 * @example
 * const { writer } = await store.claim(runId, hub);
 * writer.append({ type: 'run.started', t: Date.now(), runId, workflowId, workflowHash, input });
 * await writer.flush();
 */
export class PgWriter implements HistoryWriter, Appender {
  private buffer: HistoryEvent[] = [];
  private seq: number;
  private committed: Promise<void> = Promise.resolve();
  private failure?: Error;
  private closed = false;

  constructor(
    readonly runId: string,
    readonly holder: string,
    lastSeq: number,
    private readonly committer: GroupCommitter,
    /** Gives the run up after the last flush (unless it finished or the lease is lost). */
    private readonly release: (writer: PgWriter) => Promise<void>,
  ) {
    this.seq = lastSeq;
  }

  get lastSeq(): number {
    return this.seq;
  }

  append(event: NewHistoryEvent): HistoryEvent {
    if (this.closed) throw new Error(`history writer for run ${this.runId} is closed`);
    const stored = { seq: ++this.seq, ...event } as HistoryEvent;
    this.buffer.push(stored);
    return stored;
  }

  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.buffer.length > 0) {
      const events = this.buffer;
      this.buffer = [];
      this.committed = this.committer.commit(this, events).catch((e: Error) => {
        this.failure ??= e;
        throw e;
      });
      this.committed.catch(() => undefined); // a caller that never awaits this flush learns it at the next one
    }
    return this.committed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const flushed = this.flush();
    this.closed = true;
    await flushed;
    await this.release(this);
  }
}
