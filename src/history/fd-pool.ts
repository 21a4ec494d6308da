import fs from 'node:fs';

/**
 * A bounded set of open history files, least recently written closed first. A run holds no file
 * descriptor of its own: its writer names its file and borrows a descriptor from the pool for each
 * flush. A run that writes often keeps its descriptor (no reopen on the hot path); 10,000 runs
 * waiting on approvals or long model calls hold at most `limit` descriptors between them, so a
 * process under `ulimit -n 256` neither fails with EMFILE nor leaks. Hand-written: it is a Map in
 * insertion order plus the open/close rules below, nothing a library would add.
 */
export class FdPool {
  /** file -> fd, least recently used first (a Map iterates in insertion order; a use re-inserts). */
  private readonly open = new Map<string, number>();

  constructor(private readonly limit = 64) {}

  /**
   * Creates a new file (refusing to overwrite one) with owner-only permissions and keeps it open.
   *
   * @example
   * pool.create('/app/.orchestai/runs/r1.jsonl');
   */
  create(file: string): void {
    this.use(file, 'wx');
  }

  /**
   * Appends text to a file, opening it (for append) if the pool holds no descriptor for it.
   *
   * @example
   * pool.append(file, '{"seq":1}\n', false);
   */
  append(file: string, text: string, sync: boolean): void {
    const fd = this.use(file, 'a');
    fs.writeSync(fd, text);
    if (sync) fs.fsyncSync(fd);
  }

  /**
   * Gives a file's descriptor back to the system. Its bytes are already with the OS, so kill -9
   * loses nothing; `batched` durability promises no more, and `fsync` synced every flush. (Syncing
   * each finished run in the background, as this once did, made the next run's file creation wait
   * on the journal: +40% per step on the engine bench.)
   */
  release(file: string): void {
    const fd = this.open.get(file);
    if (fd === undefined) return;
    this.open.delete(file);
    fs.closeSync(fd);
  }

  /** Descriptors held now (for tests and the concurrency bench). */
  get size(): number {
    return this.open.size;
  }

  private use(file: string, flags: 'wx' | 'a'): number {
    const held = this.open.get(file);
    if (held !== undefined) {
      this.open.delete(file);
      this.open.set(file, held);
      return held;
    }
    while (this.open.size >= this.limit) this.evictOldest();
    const fd = this.openRetrying(file, flags);
    this.open.set(file, fd);
    return fd;
  }

  /** Opens a file; on EMFILE (other code holds the process's descriptors) gives back ours and retries. */
  private openRetrying(file: string, flags: 'wx' | 'a'): number {
    for (;;) {
      try {
        return fs.openSync(file, flags, 0o600);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EMFILE' || this.open.size === 0) throw e;
        this.evictOldest();
      }
    }
  }

  private evictOldest(): void {
    const [file, fd] = this.open.entries().next().value!;
    this.open.delete(file);
    fs.closeSync(fd); // its bytes are already written; closing does not lose them
  }
}

/** One pool per process: descriptors are a per-process limit, whatever the number of stores. */
export const sharedFdPool = new FdPool(Number(process.env.ORCHESTAI_MAX_OPEN_HISTORIES) || 64);
