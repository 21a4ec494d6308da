import { performance } from 'node:perf_hooks';
import { median } from './measure.ts';

export interface ReplayResult {
  status: 'ok' | 'error';
  runId?: string;
  events?: number;
  runs?: number;
  /** Median ms of `replay(history, workflow)` on an already-parsed history. */
  medianMs?: number;
  eventsPerSec?: number;
  /** Median ms of `readHistory(runId)` + `replay(...)`: from the JSONL file. */
  fromFileMedianMs?: number;
  fromFileEventsPerSec?: number;
  note?: string;
}

type ReplayFn = (history: unknown[], workflow: unknown) => { ok: boolean; divergence?: unknown; status: string };
type ReadFn = (runId: string) => unknown[];

async function timeRepeated(fn: () => Promise<void>, minRuns: number, minTimeMs: number): Promise<{ med: number; runs: number }> {
  // Warm-up: 3 runs, and half the timed minimum, so the JIT has settled before timing.
  const w0 = performance.now();
  for (let i = 0; i < 3 || performance.now() - w0 < minTimeMs / 2; i++) await fn();
  const samples: number[] = [];
  const t0 = performance.now();
  while (samples.length < minRuns || (performance.now() - t0 < minTimeMs && samples.length < 1000)) {
    const s = performance.now();
    await fn();
    samples.push(performance.now() - s);
  }
  return { med: median(samples), runs: samples.length };
}

/**
 * Measures replay speed (events/s) of one recorded run: drives `replay(history,
 * workflow)` repeatedly and checks every replay reports no divergence.
 *
 * @example
 * await measureReplay(core.replay, (id) => store.read(id), runId, workflow);
 */
export async function measureReplay(replay: ReplayFn, readHistory: ReadFn, runId: string, workflow: unknown, minRuns = 5, minTimeMs = 1000): Promise<ReplayResult> {
  try {
    const history = await readHistory(runId);
    const check = async (h: unknown[]) => {
      const r = replay(h, workflow);
      if (!r.ok) throw new Error(`replay of ${runId} diverged: ${JSON.stringify(r.divergence)}`);
      if (r.status !== 'succeeded') throw new Error(`replay of ${runId} ended ${r.status}, the run succeeded`);
    };
    const mem = await timeRepeated(() => check(history), minRuns, minTimeMs);
    const file = await timeRepeated(async () => check(await readHistory(runId)), minRuns, minTimeMs);
    return {
      status: 'ok',
      runId,
      events: history.length,
      runs: mem.runs,
      medianMs: mem.med,
      eventsPerSec: Math.round(history.length / (mem.med / 1000)),
      fromFileMedianMs: file.med,
      fromFileEventsPerSec: Math.round(history.length / (file.med / 1000)),
    };
  } catch (err) {
    return { status: 'error', runId, note: err instanceof Error ? err.message : String(err) };
  }
}
