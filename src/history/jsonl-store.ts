import fs from 'node:fs';
import path from 'node:path';
import type { EventOf, HistoryEvent, NewHistoryEvent } from '../../machines/history/events.ts';
import { HistoryParseError, parseHistory } from '../../machines/history/parse.ts';
import { fileControlChannel } from './control.ts';
import { sharedFdPool, type FdPool } from './fd-pool.ts';
import { beat, holdForTakeover, ownershipOf, processOwner, RunOwnedError, type Ownership } from './ownership.ts';
import type { Durability, HistoryStore, HistoryWriter, ReadOptions, RepairResult, RunQuery, RunStatus, RunSummary } from './store.ts';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The embedded store: one append-only JSONL file per run under `<root>/runs/` (mode 0600, folders
 * 0700: histories hold inputs and outputs). Each history names its owner (see ownership.ts).
 * Root: the argument, else `$ORCHESTAI_HOME`, else `.orchestai/` in the working directory.
 *
 * @example
 * const store = createJsonlStore();
 * store.listRuns({ limit: 20, status: 'interrupted' }).runs;
 */
export function createJsonlStore(root?: string, options: { fdPool?: FdPool } = {}): HistoryStore {
  const base = path.resolve(root ?? process.env.ORCHESTAI_HOME ?? path.join(process.cwd(), '.orchestai'));
  const runsDir = path.join(base, 'runs');
  const pool = options.fdPool ?? sharedFdPool;
  const pathOf = (runId: string) => {
    if (!RUN_ID.test(runId)) throw new Error(`invalid run id ${JSON.stringify(runId)}`);
    return path.join(runsDir, `${runId}.jsonl`);
  };
  const lockOf = (runId: string) => pathOf(runId).slice(0, -'.jsonl'.length) + '.lock';
  const summaries = new SummaryCache();
  let madeDirs = false;
  const makeDirs = () => {
    if (madeDirs) return;
    fs.mkdirSync(runsDir, { recursive: true, mode: 0o700 });
    madeDirs = true;
  };

  const store: HistoryStore = {
    root: base,
    pathOf,
    control: fileControlChannel(base),
    exists: (runId) => fs.existsSync(pathOf(runId)),
    ownerOf(runId) {
      return heldBy(base, pathOf(runId), readEvents(pathOf(runId)).events);
    },
    create(runId, durability = 'batched') {
      makeDirs();
      beat(base);
      const file = pathOf(runId);
      try {
        pool.create(file); // 'wx': refuses an existing file, so a new run has no other writer
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} already exists: a history is never overwritten`);
        throw e;
      }
      return new JsonlWriter(file, pool, 0, durability);
    },
    reopen(runId, durability = 'batched', options = {}) {
      const file = pathOf(runId);
      if (!fs.existsSync(file)) throw new Error(`no history for run ${runId}: ${file} does not exist`);
      // Held until the writer's first flush (the run.resumed naming this process): two resumers
      // of one run cannot both get past the owner check below.
      const release = holdForTakeover(base, lockOf(runId), runId);
      try {
        const { events, torn } = readEvents(file, options.onWarning);
        const holder = heldBy(base, file, events);
        if (holder?.alive) throw new RunOwnedError(runId, holder);
        if (torn) cutTornTail(file, torn, options.onWarning);
        return { events, writer: new JsonlWriter(file, pool, events.length, durability, release) };
      } catch (e) {
        release();
        throw e;
      }
    },
    read: (runId, options: ReadOptions = {}) => readEvents(pathOf(runId), options.onWarning).events,
    listRuns(query: RunQuery = {}) {
      let names: string[];
      try {
        names = fs.readdirSync(runsDir).filter((n) => n.endsWith('.jsonl'));
      } catch {
        return { runs: [], total: 0 };
      }
      // Run ids start with a UTC timestamp, so name order is start order.
      names.sort().reverse();
      const ids = names.map((n) => n.slice(0, -'.jsonl'.length));
      const { offset = 0, limit = 50 } = query;
      if (!filtered(query)) {
        // Unfiltered: only the page's files are read.
        return { runs: ids.slice(offset, offset + limit).map((id) => withOwner(summaries.get(pathOf(id), id))), total: ids.length };
      }
      const matching = ids.map((id) => withOwner(summaries.get(pathOf(id), id))).filter((s) => matches(s, query));
      return { runs: matching.slice(offset, offset + limit), total: matching.length };
    },
    delete(runId) {
      const owner = safeOwnerOf(runId);
      if (owner?.alive) throw new RunOwnedError(runId, owner);
      const file = pathOf(runId);
      if (!fs.existsSync(file)) throw new Error(`no run ${runId} in ${base}`);
      for (const f of [file, lockOf(runId), ...backupsOf(file)]) fs.rmSync(f, { force: true });
      fs.rmSync(path.join(base, 'control', `${runId}.jsonl`), { force: true });
      fs.rmSync(path.join(base, 'artifacts', runId), { recursive: true, force: true });
      summaries.forget(file);
    },
    repair(runId) {
      const file = pathOf(runId);
      const release = holdForTakeover(base, lockOf(runId), runId);
      try {
        const { events, torn } = readEvents(file);
        const holder = heldBy(base, file, events);
        if (holder?.alive) throw new RunOwnedError(runId, holder);
        if (!torn) return { file, removedBytes: 0, events: events.length };
        const backup = cutTornTail(file, torn);
        return { file, backup, removedBytes: torn.bytes, events: events.length };
      } finally {
        release();
      }
    },
  };

  /** An unfinished run is `running` while a live process holds it, else `interrupted`. */
  function withOwner(s: Summary): RunSummary {
    const { holder, ...summary } = s;
    if (summary.status !== 'running' && summary.status !== 'interrupted') return summary;
    const owner = holder ? ownerNow(base, pathOf(s.runId), holder) : undefined;
    const status: RunStatus = owner?.alive ? 'running' : 'interrupted';
    return { ...summary, status, ...(owner ? { owner: { pid: owner.pid, host: owner.host, alive: owner.alive } } : {}) };
  }
  /** The owner of a run that may be damaged (a damaged history has none to protect). */
  function safeOwnerOf(runId: string): Ownership | undefined {
    try {
      return store.ownerOf(runId);
    } catch {
      return undefined;
    }
  }
  return store;
}

/**
 * Who holds a run by its history: the owner the last run.started / run.resumed names, unless the
 * run ended or was interrupted since (then nobody).
 */
function heldBy(root: string, file: string, events: readonly HistoryEvent[]): Ownership | undefined {
  const holder = holderId(events);
  return holder === undefined ? undefined : ownerNow(root, file, holder);
}

/** Histories this process has a writer open for: for its own runs, this says more than "this process is alive". */
const writingHere = new Set<string>();

/**
 * An owner now. This process owns only the runs it has a writer open for: one of its runs that it
 * stopped writing without recording why (a writer dropped, a test cutting a history) is not held.
 */
function ownerNow(root: string, file: string, holder: string): Ownership | undefined {
  const self = processOwner();
  if (holder === self.owner) return { ...self, alive: writingHere.has(file), heartbeatAgeS: 0 };
  return ownershipOf(root, holder);
}

function holderId(events: readonly HistoryEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type === 'run.finished' || e.type === 'run.interrupted') return undefined;
    if (e.type === 'run.started' || e.type === 'run.resumed') return e.owner;
  }
  return undefined;
}

/** A summary as cached: with the holder's id, whose liveness is judged at each listing. */
type Summary = RunSummary & { holder?: string };

const filtered = (q: RunQuery) => q.status !== undefined || q.workflowId !== undefined || q.since !== undefined || q.before !== undefined;

function matches(s: RunSummary, q: RunQuery): boolean {
  const statuses = q.status === undefined ? undefined : typeof q.status === 'string' ? [q.status] : q.status;
  if (statuses && !statuses.includes(s.status)) return false;
  if (q.workflowId !== undefined && s.workflowId !== q.workflowId) return false;
  if (q.since !== undefined && !(s.startedAt >= q.since)) return false;
  if (q.before !== undefined && !(s.startedAt < q.before)) return false;
  return true;
}

/** A torn last line: where it starts, and how long it is. */
interface Torn {
  offset: number;
  bytes: number;
}

function readText(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error(`no history for this run: ${file} does not exist`);
    throw e;
  }
}

/** The events of a history file; an empty file is an error naming it (it has no run.started). */
function readEvents(file: string, onWarning?: (m: string) => void): { events: HistoryEvent[]; torn?: Torn } {
  const bytes = readText(file);
  const text = bytes.toString('utf8');
  const { events, validBytes } = parseHistory(text, file, onWarning);
  if (events.length === 0) throw new HistoryParseError(file, 1, bytes.length === 0 ? 'empty history: the run was created but nothing was written' : 'no complete event: the writer died during its first write');
  const valid = Buffer.byteLength(text.slice(0, validBytes));
  return { events, ...(valid < bytes.length ? { torn: { offset: valid, bytes: bytes.length - valid } } : {}) };
}

/** Backups of a history, oldest first. */
function backupsOf(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  try {
    return fs.readdirSync(dir).filter((n) => n.startsWith(`${base}.bak`)).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/** Copies a history to `<file>.bak` (or `.bak.2`, `.bak.3`, ... if taken), then cuts the torn tail. Nothing is removed without a copy. */
function cutTornTail(file: string, torn: Torn, onWarning?: (m: string) => void): string {
  let backup = `${file}.bak`;
  for (let n = 2; fs.existsSync(backup); n++) backup = `${file}.bak.${n}`;
  fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(backup, 0o600);
  fs.truncateSync(file, torn.offset);
  onWarning?.(`${file}: cut a torn last line of ${torn.bytes} bytes; the original is kept as ${backup}`);
  return backup;
}

/**
 * Run summaries, each read once per version of its file (size and mtime): a listing that refreshes
 * every second rereads only the runs that moved.
 */
class SummaryCache {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; summary: Summary }>();

  get(file: string, runId: string): Summary {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return { runId, workflowId: '?', status: 'damaged', startedAt: 0, damage: `${file}: disappeared while listing` };
    }
    const hit = this.cache.get(file);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.summary;
    const summary = summarise(file, runId);
    this.cache.set(file, { size: st.size, mtimeMs: st.mtimeMs, summary });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return summary;
  }

  forget(file: string): void {
    this.cache.delete(file);
  }
}

/**
 * A run's summary from its whole history, parsed with the replay parser, so a damaged line anywhere
 * makes the run `damaged (file:line)` instead of a wrong status or a crash of the listing.
 */
function summarise(file: string, runId: string): Summary {
  let events: HistoryEvent[];
  try {
    events = readEvents(file).events;
  } catch (e) {
    const line = (e as HistoryParseError).line;
    return { runId, workflowId: '?', status: 'damaged', startedAt: 0, damage: line ? (e as Error).message : `${file}: ${(e as Error).message}` };
  }
  const first = events[0] as EventOf<'run.started'>;
  const last = events[events.length - 1];
  const finished = last.type === 'run.finished' ? last : undefined;
  return {
    runId,
    workflowId: first.workflowId,
    status: finished ? finished.status : 'running',
    startedAt: first.t,
    ...(finished ? { finishedAt: finished.t, durationMs: finished.durationMs, cost: finished.cost } : {}),
    ...(first.instruction ? { instruction: first.instruction } : {}),
    ...(first.source ? { source: first.source } : {}),
    ...(finished ? {} : { holder: holderId(events) }),
  };
}

/** Events the store stamps with the writing process's owner id. */
const OWNED = new Set(['run.started', 'run.resumed']);

class JsonlWriter implements HistoryWriter {
  private buffer: string[] = [];
  private seq: number;
  private closed = false;

  private readonly owner = processOwner().owner;

  /** `release`: a takeover hold, let go once the run.resumed naming this process is written. */
  constructor(
    private readonly file: string,
    private readonly pool: FdPool,
    lastSeq: number,
    private readonly durability: Durability,
    private release?: () => void,
  ) {
    this.seq = lastSeq;
    writingHere.add(file);
  }

  get lastSeq(): number {
    return this.seq;
  }

  append(event: NewHistoryEvent): HistoryEvent {
    if (this.closed) throw new Error('history writer is closed');
    const stored = (OWNED.has(event.type) ? { seq: ++this.seq, ...event, owner: this.owner } : { seq: ++this.seq, ...event }) as HistoryEvent;
    this.buffer.push(JSON.stringify(stored));
    return stored;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.pool.append(this.file, text, this.durability === 'fsync');
    if (this.release && this.buffer.length === 0 && text.includes('"type":"run.resumed"')) this.letGo();
  }

  private letGo(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      writingHere.delete(this.file);
      this.pool.release(this.file);
      this.letGo();
    }
  }
}
