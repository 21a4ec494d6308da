/**
 * The routing facts of one run's history: each `route.decided` event (which candidate a policy
 * chose for an attempt of a step) joined with that attempt's outcome (the `step.succeeded` or
 * `step.failed` of the same step, attempt and group that follows it). Works on parsed events or
 * on raw JSON lines alike, so it does not depend on the history parser knowing `route.decided`.
 */

/** One routed attempt: the decision and what came of it. */
export interface RoutedAttempt {
  step: string;
  /** The event's `capability` when it names one, else the step id. */
  capability: string;
  attempt: number;
  group?: string;
  /** The chosen candidate. */
  worker: string;
  /** The candidates the policy chose from, in the step's order. */
  candidates: string[];
  policy: string;
  version: string;
  probabilities?: number[];
  /** Epoch ms of the decision. */
  t: number;
  /** `unfinished`: no outcome recorded (the run is still going, or stopped before the attempt ended). */
  outcome: 'succeeded' | 'failed' | 'unfinished';
  durationMs?: number;
  cost?: number;
}

/** What the routing view needs from one history. */
export interface RunRoutingFacts {
  runId: string;
  workflowId: string;
  /** Epoch ms of `run.started`. */
  startedAt: number;
  attempts: RoutedAttempt[];
  /** `route.decided` events that lack a field the view needs (skipped). */
  badDecisions: number;
  /** `route.decided` events that record a router failure (`error`, no worker): no candidate ran. */
  routerErrors: number;
}

const keyOf = (e: any) => `${typeof e.group === 'string' ? e.group : ''}\u0000${e.step}\u0000${e.attempt}`;

/** A `route.decided` event as a routed attempt, or undefined when a needed field is missing. */
function decisionOf(e: any): RoutedAttempt | undefined {
  if (typeof e.step !== 'string' || typeof e.worker !== 'string' || typeof e.attempt !== 'number' || typeof e.t !== 'number') return undefined;
  const candidates = Array.isArray(e.candidates) ? e.candidates.filter((c: unknown): c is string => typeof c === 'string') : [];
  if (!candidates.includes(e.worker)) candidates.push(e.worker);
  const probabilities = Array.isArray(e.probabilities) && e.probabilities.every((p: unknown) => typeof p === 'number') ? (e.probabilities as number[]) : undefined;
  return {
    step: e.step,
    capability: typeof e.capability === 'string' && e.capability ? e.capability : e.step,
    attempt: e.attempt,
    ...(typeof e.group === 'string' ? { group: e.group } : {}),
    worker: e.worker,
    candidates,
    policy: typeof e.policy === 'string' ? e.policy : '?',
    version: e.version === undefined || e.version === null ? '?' : String(e.version),
    ...(probabilities ? { probabilities } : {}),
    t: e.t,
    outcome: 'unfinished',
  };
}

/**
 * Extracts the routed attempts of a history (events in order, `run.started` first). A decision
 * recorded again for the same attempt (a resume that decided anew) replaces one still without an
 * outcome, so an attempt is never counted twice.
 *
 * @example
 * const facts = routingFactsOf('r1', store.read('r1'));
 * facts.attempts[0]; // { step: 'answer', worker: 'small-llm', policy: 'bandit', version: '2', outcome: 'succeeded', durationMs: 840, cost: 0.002, … }
 */
export function routingFactsOf(runId: string, events: readonly unknown[]): RunRoutingFacts {
  const first = events[0] as any;
  const facts: RunRoutingFacts = {
    runId,
    workflowId: typeof first?.workflowId === 'string' ? first.workflowId : '?',
    startedAt: typeof first?.t === 'number' ? first.t : 0,
    attempts: [],
    badDecisions: 0,
    routerErrors: 0,
  };
  const open = new Map<string, RoutedAttempt>();
  for (const e of events as any[]) {
    if (e === null || typeof e !== 'object') continue;
    if (e.type === 'route.decided') {
      if (typeof e.error === 'string' || e.worker === '') {
        facts.routerErrors++;
        continue;
      }
      const d = decisionOf(e);
      if (!d) {
        facts.badDecisions++;
        continue;
      }
      const earlier = open.get(keyOf(e));
      if (earlier) facts.attempts.splice(facts.attempts.indexOf(earlier), 1);
      open.set(keyOf(e), d);
      facts.attempts.push(d);
    } else if (e.type === 'step.succeeded' || e.type === 'step.failed') {
      const d = open.get(keyOf(e));
      if (!d) continue;
      open.delete(keyOf(e));
      d.outcome = e.type === 'step.succeeded' ? 'succeeded' : 'failed';
      if (typeof e.durationMs === 'number') d.durationMs = e.durationMs;
      if (typeof e.cost === 'number') d.cost = e.cost;
    }
  }
  return facts;
}
