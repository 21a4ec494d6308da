import type { Workflow } from '../../machines/definition.ts';
import type { AnyWorker } from '../../machines/worker.ts';

/** A worker name that `--only` asked for and no workflow uses; the message lists those that exist. */
export class UnknownWorkerError extends Error {
  override name = 'UnknownWorkerError';
}

/**
 * Every worker the workflows use (a step's worker and each of a routed step's candidates), one per
 * name in first-seen order; with `only`, just those names, each of which must exist.
 *
 * @example
 * servedWorkers([article], ['summarize']).map((w) => w.name) // ['summarize']
 */
export function servedWorkers(workflows: readonly Workflow[], only?: readonly string[]): AnyWorker[] {
  const byName = new Map<string, AnyWorker>();
  for (const wf of workflows) {
    for (const step of wf.steps) {
      for (const w of [step.worker, ...(step.candidates ?? [])]) if (w && !byName.has(w.name)) byName.set(w.name, w);
    }
  }
  if (!only) return [...byName.values()];
  const missing = only.filter((n) => !byName.has(n));
  if (missing.length) {
    const known = [...byName.keys()].join(', ') || 'none';
    throw new UnknownWorkerError(`--only names ${missing.map((n) => JSON.stringify(n)).join(', ')}, which no workflow uses (workers: ${known})`);
  }
  return only.map((n) => byName.get(n)!);
}
