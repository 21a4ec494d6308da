import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Who writes a run. A live run holds `<runs>/<runId>.lock`, a symbolic link whose target is the
 * owner (id, pid, host) as JSON: creating a link is one atomic, exclusive system call and reading
 * it another (the lock files of Emacs work the same way), where a lock file written and read back
 * costs several, on every run. A second writer (another process, or a second resume in this one)
 * is refused.
 * Each owning process keeps one heartbeat file per store, `<root>/owners/<owner>.json`, whose
 * modification time it refreshes every couple of seconds: one timer per process, not per run.
 * A lock whose owner has stopped (no such process on this host, or a stale heartbeat) belongs to
 * an interrupted run, which `resume` may take over.
 */

/** What a lock file says. */
export interface OwnerInfo {
  owner: string;
  pid: number;
  host: string;
  /** When this owner took the run (epoch ms). */
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

/**
 * This process as an owner. The id is short on purpose: a link target under 60 bytes is stored in
 * the inode itself (ext4's fast symlink), which makes the lock a single small write.
 */
const self: OwnerInfo = { owner: `o-${randomBytes(4).toString('hex')}-${process.pid}`, pid: process.pid, host: os.hostname(), since: Date.now() };

/**
 * Heartbeats of this process, one per store root (`owners/<owner>.json`: pid, host, since), started
 * before its first lock there and kept for the process's life (an unref'd timer and one small
 * file), so a process running runs one after another does not create and delete it each time.
 */
const beats = new Map<string, { file: string; timer: NodeJS.Timeout }>();

function beat(root: string): void {
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

/**
 * Whether a lock's owner is still there: on this host, its process exists and beats; elsewhere
 * (a shared file system), its heartbeat is fresh. An owner without a heartbeat file has exited.
 */
export function ownershipOf(root: string, info: OwnerInfo, now = Date.now()): Ownership {
  if (info.owner === self.owner) return { ...info, alive: true, heartbeatAgeS: 0 };
  let age: number | undefined;
  try {
    age = (now - fs.statSync(path.join(root, 'owners', `${info.owner}.json`)).mtimeMs) / 1000;
  } catch {
    age = undefined;
  }
  const fresh = age !== undefined && age * 1000 < STALE_MS;
  const alive = info.host === self.host ? pidAlive(info.pid) && fresh : fresh;
  return { ...info, alive, ...(age === undefined ? {} : { heartbeatAgeS: age }) };
}

const OWNER_ID = /^o-[0-9a-f]+-(\d+)$/;

/**
 * The lock of a run, or undefined when it has none (finished, or never owned). The link names the
 * owner; the owner's heartbeat file says on which host it runs.
 */
export function readLock(lockFile: string): OwnerInfo | undefined {
  let owner: string;
  try {
    owner = fs.readlinkSync(lockFile);
  } catch {
    return undefined;
  }
  const m = OWNER_ID.exec(owner);
  if (!m) return undefined;
  if (owner === self.owner) return self;
  let info: Partial<OwnerInfo> = {};
  try {
    info = JSON.parse(fs.readFileSync(path.join(path.dirname(path.dirname(lockFile)), 'owners', `${owner}.json`), 'utf8'));
  } catch {
    /* the owner exited and removed its heartbeat: it is gone, wherever it ran */
  }
  return { owner, pid: Number(m[1]), host: typeof info.host === 'string' ? info.host : 'unknown host', since: typeof info.since === 'number' ? info.since : 0 };
}

/**
 * Takes a run for this process: creates its lock, or replaces the lock of an owner that is gone.
 * Throws `RunOwnedError` when a live owner holds it (this process included).
 *
 * @example
 * const release = acquireRun(root, lockFile, runId);
 * try { ... } finally { release(); }
 */
export function acquireRun(root: string, lockFile: string, runId: string): () => void {
  beat(root); // before the lock exists, so a live lock always has a heartbeat beside it
  for (let tries = 0; ; tries++) {
    try {
      fs.symlinkSync(self.owner, lockFile);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 3) throw e;
    }
    const held = readLock(lockFile);
    if (held) {
      const who = ownershipOf(root, held);
      if (who.alive) throw new RunOwnedError(runId, who);
    }
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

/**
 * Moves a dead owner's lock out of the way (rename is atomic: of two processes taking over, one
 * moves it). If what moved is not the lock that was judged dead, another process took the run in
 * between: put its lock back.
 */
function setAside(root: string, lockFile: string, judged: OwnerInfo | undefined): void {
  const aside = `${lockFile}.stale-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readLock(aside);
  if (judged && moved && moved.owner !== judged.owner) {
    fs.renameSync(aside, lockFile);
    throw new RunOwnedError(path.basename(lockFile, '.lock'), ownershipOf(root, moved));
  }
  fs.rmSync(aside, { force: true });
}

/** This process's owner id (tests). */
export const processOwner = (): OwnerInfo => self;
