import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Who writes a run. The history says it: the store stamps `run.started` and every `run.resumed`
 * with the writing process's owner id (`o-<random>-<pid>`), so taking a new run costs no system
 * call at all. Each owning process keeps one heartbeat file per store, `<root>/owners/<owner>.json`
 * (pid, host), whose modification time it refreshes every couple of seconds: one timer per process.
 * A run whose last owner has stopped (no such process on this host, or a stale heartbeat) is
 * interrupted, and `resume` may take it over. Taking over holds `<runs>/<runId>.lock` (a symbolic
 * link naming the taker: one atomic, exclusive system call) until the `run.resumed` naming the new
 * owner is written, so two processes resuming the same run cannot both win.
 */

/** An owner as its heartbeat file describes it. */
export interface OwnerInfo {
  owner: string;
  pid: number;
  host: string;
  /** When the owner process started owning runs in this store (epoch ms); 0 if unknown. */
  since: number;
}

/** A run's owner as seen now. */
export interface Ownership extends OwnerInfo {
  alive: boolean;
  /** Seconds since the owner's last heartbeat, when it has a heartbeat file. */
  heartbeatAgeS?: number;
}

/** A second writer for a run whose owner is alive. */
export class RunOwnedError extends Error {
  override name = 'RunOwnedError';
  constructor(readonly runId: string, readonly by: Ownership) {
    super(
      `run ${runId} is owned by process ${by.pid} on ${by.host}${by.heartbeatAgeS === undefined ? '' : ` (heartbeat ${by.heartbeatAgeS.toFixed(1)} s ago)`}; ` +
        'it is still running there: approve or cancel it with `orchestai approve` / `orchestai cancel`, or stop that process first',
    );
  }
}

const HEARTBEAT_MS = 2_000;
/** A heartbeat older than this means the owner is gone (a busy event loop still beats within it). */
const STALE_MS = 30_000;

/** This process as an owner. Short: it is a symbolic link's target when taking a run over (ext4 keeps targets under 60 bytes in the inode). */
const self: OwnerInfo = { owner: `o-${randomBytes(4).toString('hex')}-${process.pid}`, pid: process.pid, host: os.hostname(), since: Date.now() };

/** This process's owner id, stamped on the histories it writes. */
export const processOwner = (): OwnerInfo => self;

/**
 * Heartbeats of this process, one per store root, started with its first run there and kept for
 * the process's life (an unref'd timer and one small file).
 */
const beats = new Map<string, { file: string; timer: NodeJS.Timeout }>();

/**
 * Starts this process's heartbeat in a store (once).
 *
 * @example
 * beat('/app/.orchestai');
 */
export function beat(root: string): void {
  if (beats.has(root)) return;
  const dir = path.join(root, 'owners');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${self.owner}.json`);
  fs.writeFileSync(file, JSON.stringify(self) + '\n', { mode: 0o600 });
  // unref: a heartbeat must never keep a finished program alive.
  const timer = setInterval(() => fs.utimes(file, new Date(), new Date(), () => {}), HEARTBEAT_MS).unref();
  beats.set(root, { file, timer });
}

process.once('exit', () => {
  for (const b of beats.values()) fs.rmSync(b.file, { force: true });
});

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const OWNER_ID = /^o-[0-9a-f]+-(\d+)$/;

/**
 * An owner id as it stands now: alive if, on this host, its process exists and beats, or elsewhere
 * (a shared file system) its heartbeat is fresh. An owner without a heartbeat file has exited.
 *
 * @example
 * ownershipOf('/app/.orchestai', 'o-3fa9c1de-4242').alive // false once process 4242 is gone
 */
export function ownershipOf(root: string, owner: string, now = Date.now()): Ownership | undefined {
  const m = OWNER_ID.exec(owner);
  if (!m) return undefined;
  if (owner === self.owner) return { ...self, alive: true, heartbeatAgeS: 0 };
  const file = path.join(root, 'owners', `${owner}.json`);
  let info: Partial<OwnerInfo> = {};
  let age: number | undefined;
  try {
    age = (now - fs.statSync(file).mtimeMs) / 1000;
    info = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* exited (it removes its heartbeat), or never beat here */
  }
  const host = typeof info.host === 'string' ? info.host : 'unknown host';
  const pid = Number(m[1]);
  const fresh = age !== undefined && age * 1000 < STALE_MS;
  const alive = host === self.host ? pidAlive(pid) && fresh : fresh;
  return { owner, pid, host, since: typeof info.since === 'number' ? info.since : 0, alive, ...(age === undefined ? {} : { heartbeatAgeS: age }) };
}

/**
 * Holds a run while this process takes it over (or repairs it): refuses when another process
 * holds it right now; replaces the link of a taker that is gone. Returns the release.
 *
 * @example
 * const release = holdForTakeover(root, lockFile, runId);
 * try { ... } finally { release(); }
 */
export function holdForTakeover(root: string, lockFile: string, runId: string): () => void {
  beat(root);
  for (let tries = 0; ; tries++) {
    try {
      fs.symlinkSync(self.owner, lockFile);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 3) throw e;
    }
    const held = readTaker(lockFile);
    const who = held ? ownershipOf(root, held) : undefined;
    if (who?.alive) throw new RunOwnedError(runId, who);
    setAside(root, lockFile, held);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      if (fs.readlinkSync(lockFile) === self.owner) fs.unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  };
}

function readTaker(lockFile: string): string | undefined {
  try {
    return fs.readlinkSync(lockFile);
  } catch {
    return undefined;
  }
}

/**
 * Moves a dead taker's link out of the way (rename is atomic: of two processes, one moves it). If
 * what moved is not the link that was judged dead, another process took the run in between: put
 * its link back.
 */
function setAside(root: string, lockFile: string, judged: string | undefined): void {
  const aside = `${lockFile}.stale-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readTaker(aside);
  if (judged !== undefined && moved !== undefined && moved !== judged) {
    fs.renameSync(aside, lockFile);
    throw new RunOwnedError(path.basename(lockFile, '.lock'), ownershipOf(root, moved) ?? { owner: moved, pid: 0, host: 'unknown host', since: 0, alive: true });
  }
  fs.rmSync(aside, { force: true });
}
