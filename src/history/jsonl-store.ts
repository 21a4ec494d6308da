import fs from 'node:fs';
import path from 'node:path';
import type { HistoryEvent, NewHistoryEvent } from '../../machines/history/events.ts';
import { parseHistory } from '../../machines/history/parse.ts';
import type { Durability, HistoryStore, HistoryWriter, ReadOptions, RunSummary } from './store.ts';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The embedded store: one append-only JSONL file per run under `<root>/runs/`.
 * Root: the argument, else `$ORCHESTAI_HOME`, else `.orchestai/` in the working directory.
 *
 * @example
 * const store = createJsonlStore();
 * store.listRuns({ limit: 20 }).runs;
 */
export function createJsonlStore(root?: string): HistoryStore {
  const base = path.resolve(root ?? process.env.ORCHESTAI_HOME ?? path.join(process.cwd(), '.orchestai'));
  const runsDir = path.join(base, 'runs');
  const pathOf = (runId: string) => {
    if (!RUN_ID.test(runId)) throw new Error(`invalid run id ${JSON.stringify(runId)}`);
    return path.join(runsDir, `${runId}.jsonl`);
  };

  let madeDir = false;
  return {
    root: base,
    pathOf,
    exists: (runId) => fs.existsSync(pathOf(runId)),
    create(runId, durability = 'batched') {
      if (!madeDir) fs.mkdirSync(runsDir, { recursive: true }), (madeDir = true);
      const fd = fs.openSync(pathOf(runId), 'wx'); // never overwrite a history
      return new JsonlWriter(fd, 0, durability);
    },
    reopen(runId, durability = 'batched', options = {}) {
      const file = pathOf(runId);
      const text = readText(file);
      const { events, validBytes } = parseHistory(text, file, options.onWarning);
      if (Buffer.byteLength(text) !== Buffer.byteLength(text.slice(0, validBytes))) {
        fs.truncateSync(file, Buffer.byteLength(text.slice(0, validBytes)));
      }
      const fd = fs.openSync(file, 'a');
      return { events, writer: new JsonlWriter(fd, events.length, durability) };
    },
    read(runId, options: ReadOptions = {}) {
      const file = pathOf(runId);
      return parseHistory(readText(file), file, options.onWarning).events;
    },
    listRuns({ offset = 0, limit = 50 } = {}) {
      let names: string[];
      try {
        names = fs.readdirSync(runsDir).filter((n) => n.endsWith('.jsonl'));
      } catch {
        return { runs: [], total: 0 };
      }
      // Run ids start with a UTC timestamp, so name order is start order: only the page's files are opened.
      names.sort().reverse();
      const runs = names.slice(offset, offset + limit).map((n) => summarise(path.join(runsDir, n), n.slice(0, -'.jsonl'.length)));
      return { runs: runs.filter((r): r is RunSummary => r !== null), total: names.length };
    },
  };
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error(`no history for this run: ${file} does not exist`);
    throw e;
  }
}

/** Reads only the first and last lines of a history: enough for a listing, cheap for long runs. */
function summarise(file: string, runId: string): RunSummary | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const headBuf = Buffer.alloc(Math.min(size, 16384));
    fs.readSync(fd, headBuf, 0, headBuf.length, 0);
    const head = headBuf.toString('utf8');
    const firstLine = head.slice(0, head.indexOf('\n') === -1 ? head.length : head.indexOf('\n'));
    let first: any;
    try {
      first = JSON.parse(firstLine);
    } catch {
      return { runId, workflowId: '?', status: 'failed', startedAt: 0 };
    }
    const tailLen = Math.min(size, 65536);
    const tailBuf = Buffer.alloc(tailLen);
    fs.readSync(fd, tailBuf, 0, tailLen, size - tailLen);
    const lines = tailBuf.toString('utf8').trimEnd().split('\n');
    let last: any = null;
    try {
      last = JSON.parse(lines[lines.length - 1]);
    } catch {
      last = null;
    }
    const finished = last?.type === 'run.finished' ? last : null;
    return {
      runId,
      workflowId: first.workflowId,
      status: finished ? finished.status : 'running',
      startedAt: first.t,
      ...(finished ? { finishedAt: finished.t, durationMs: finished.durationMs, cost: finished.cost } : {}),
      ...(first.instruction ? { instruction: first.instruction } : {}),
      ...(first.source ? { source: first.source } : {}),
    };
  } finally {
    fs.closeSync(fd);
  }
}

class JsonlWriter implements HistoryWriter {
  private buffer: string[] = [];
  private seq: number;
  private closed = false;

  constructor(private readonly fd: number, lastSeq: number, private readonly durability: Durability) {
    this.seq = lastSeq;
  }

  get lastSeq(): number {
    return this.seq;
  }

  append(event: NewHistoryEvent): HistoryEvent {
    if (this.closed) throw new Error('history writer is closed');
    const stored = { seq: ++this.seq, ...event } as HistoryEvent;
    this.buffer.push(JSON.stringify(stored));
    return stored;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('\n') + '\n';
    this.buffer = [];
    fs.writeSync(this.fd, text);
    if (this.durability === 'fsync') fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.durability === 'fsync') {
      fs.closeSync(this.fd); // every flush was already synced
      return;
    }
    // Batched: everything is already with the OS (safe against kill -9); sync it to disk in
    // the background so a run's end does not wait on the device.
    const fd = this.fd;
    fs.fsync(fd, () => fs.close(fd, () => {}));
  }
}
