import type { Episode } from './episodes.ts';

/** What the histories say about one candidate for one capability. */
export interface CandidateStat { n: number; successes: number; cost: number; latencyMs: number }

/** capability -> worker -> totals. */
export type CandidateStats = Record<string, Record<string, CandidateStat>>;

/**
 * Totals per capability and candidate over every routed attempt of the episodes.
 *
 * @example
 * candidateStats(episodes).summarise.large.successes
 */
export function candidateStats(episodes: readonly Episode[]): CandidateStats {
  const stats: CandidateStats = {};
  for (const ep of episodes) {
    for (const d of ep.decisions) {
      const s = ((stats[d.request.capability] ??= {})[d.worker] ??= { n: 0, successes: 0, cost: 0, latencyMs: 0 });
      s.n += 1;
      s.successes += d.success ? 1 : 0;
      s.cost += d.cost;
      s.latencyMs += d.durationMs;
    }
  }
  return stats;
}

/**
 * Smoothed success rate ((successes + 1) / (n + 2)), so an untried candidate counts as a coin flip
 * rather than as perfect or useless.
 *
 * @example
 * successRate({ n: 8, successes: 8, cost: 0, latencyMs: 0 }) // 0.9
 */
export function successRate(s: CandidateStat | undefined): number {
  return s ? (s.successes + 1) / (s.n + 2) : 0.5;
}
