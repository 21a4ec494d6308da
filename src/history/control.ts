import fs from 'node:fs';
import path from 'node:path';

/**
 * Requests to a run from outside its process: approve or reject a waiting step, cancel the run.
 * Each is appended (and synced) to `<root>/control/<runId>.jsonl` before anything acts on it, so
 * it survives its sender and the run's owner alike. The owner watches the folder and applies a
 * request within a second; a run whose owner is gone applies its pending requests when it resumes.
 * The history records each applied request's id, so a request is applied once.
 */

export type ControlRequest =
  | { type: 'approve'; id: string; t: number; step: string; approved: boolean; by?: string; comment?: string }
  | { type: 'cancel'; id: string; t: number; reason?: string; by?: string };

/** How requests travel; the JSONL store implements it with files, a database store can with LISTEN/NOTIFY. */
export interface ControlChannel {
  /** Records a request durably. */
  send(runId: string, request: ControlRequest): void;
  /** Every request ever sent to a run, oldest first (a torn last line, from a sender killed mid-write, is skipped). */
  requests(runId: string): ControlRequest[];
  /**
   * Calls `onRequest(runId)` soon after a request is sent to one of the runs `interest()` names
   * (the runs this process holds, asked again at each look); returns the unsubscribe.
   */
  watch(interest: () => Iterable<string>, onRequest: (runId: string) => void): () => void;
}

const POLL_MS = 500;

/**
 * The file-based channel of a JSONL store root.
 *
 * @example
 * const control = fileControlChannel('.orchestai');
 * control.send(runId, { type: 'cancel', id: 'c1', t: Date.now(), reason: 'wrong input' });
 */
export function fileControlChannel(root: string): ControlChannel {
  const dir = path.join(root, 'control');
  const fileOf = (runId: string) => path.join(dir, `${runId}.jsonl`);
  return {
    send(runId, request) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const fd = fs.openSync(fileOf(runId), 'a', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify(request) + '\n');
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    },
    requests(runId) {
      let text: string;
      try {
        text = fs.readFileSync(fileOf(runId), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      const out: ControlRequest[] = [];
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          out.push(JSON.parse(line));
        } catch {
          /* a sender killed mid-write: its request never completed */
        }
      }
      return out;
    },
    watch: (interest, onRequest) => watchFolder(dir, interest, onRequest),
  };
}

/**
 * Watches the control folder with inotify (fs.watch), and also compares the held runs' file sizes
 * every half second, because fs.watch can miss events (network file systems, some containers).
 */
function watchFolder(dir: string, interest: () => Iterable<string>, onRequest: (runId: string) => void): () => void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sizes = new Map<string, number>();
  const sizeOf = (runId: string) => {
    try {
      return fs.statSync(path.join(dir, `${runId}.jsonl`)).size;
    } catch {
      return 0;
    }
  };
  // A run first seen counts from size 0, so requests sent before the watch began are reported
  // too; the receiver skips the ones it already applied (their ids are in the history).
  const check = (runId: string) => {
    const size = sizeOf(runId);
    if ((sizes.get(runId) ?? 0) === size) return void sizes.set(runId, size);
    sizes.set(runId, size);
    onRequest(runId);
  };
  // Only the runs this process holds are looked at: a folder of old requests costs nothing.
  const poll = () => {
    const live = new Set(interest());
    for (const runId of sizes.keys()) if (!live.has(runId)) sizes.delete(runId);
    for (const runId of live) check(runId);
  };
  setImmediate(poll); // never call back from inside watch(): the caller is still setting up
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
      const runId = typeof name === 'string' && name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : undefined;
      if (runId && new Set(interest()).has(runId)) check(runId);
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined;
  }
  const timer = setInterval(poll, POLL_MS).unref();
  return () => {
    clearInterval(timer);
    watcher?.close();
  };
}
