import type { Json } from '../transformers/types.ts';

/**
 * Routing: a step may name several candidate workers for one capability; at each attempt the hub
 * asks a router which one runs. The decision is a fact from outside the deterministic core, like a
 * worker's result: it is recorded (`route.decided`) before the attempt's `step.started`, and replay
 * and resume reuse the recorded choice without consulting any policy. This file is the contract
 * between the definition language (a step's `candidates`), the hub (which asks and records) and
 * the policies (`planner/router/`, which answer).
 */

/**
 * What a call to a worker costs, when the worker does not report its cost itself: the hub charges
 * each attempt that ran (succeeded or failed) `perCall` plus the per-token prices times the tokens
 * the worker reported with `ctx.reportUsage`. A cost the worker reports with `ctx.reportCost` wins.
 */
export interface PriceModel {
  /** Per call, in the run's cost unit (USD for the provider layer's price table). */
  perCall?: number;
  /** Per input token, for workers that report usage. */
  perInputToken?: number;
  /** Per output token. */
  perOutputToken?: number;
}

/**
 * What one call costs by its declared price: `perCall`, plus the per-token prices times the tokens.
 * The hub charges it (with the tokens a worker reported through `ctx.reportUsage`) when the worker
 * reported no cost itself; a cost the worker reports always wins. A call that ran and failed costs
 * the same as one that succeeded (the provider bills it); an attempt the hub stopped (timeout,
 * cancel) records no result, so no cost. Policies estimate a call's cost with it too.
 *
 * @example
 * callCost({ perCall: 0.01, perOutputToken: 0.00002 }, 500, 100) // 0.012 (up to rounding)
 */
export function callCost(price: PriceModel, inputTokens = 0, outputTokens = 0): number {
  return (price.perCall ?? 0) + inputTokens * (price.perInputToken ?? 0) + outputTokens * (price.perOutputToken ?? 0);
}

/** A candidate as a router sees it: its worker's name and what is known of it in advance. */
export interface RouteCandidate {
  worker: string;
  /** Its declared price (may be absent: then only histories tell). */
  price?: PriceModel;
  /** Its typical latency in ms, as declared (histories refine it). */
  latencyMs?: number;
}

/** Everything a policy may look at when a step with candidates starts an attempt. */
export interface RouteRequest {
  runId: string;
  workflowId: string;
  step: string;
  /** The capability the candidates share (the step's `capability`, default the step id). */
  capability: string;
  attempt: number;
  /** Candidates in the step's order (the first is the default). */
  candidates: readonly RouteCandidate[];
  /** The input the chosen worker will get (read-only: it is also what the history records). */
  input: Json;
  /** The step's index in the definition (0-based) and the number of steps. */
  position: number;
  steps: number;
  /** Cost and wall time (run clock) the run has spent so far. */
  costSoFar: number;
  elapsedMs: number;
  /** Workers that already failed this step in this run (a timeout counts), oldest first (a cascade escalates past them). */
  failedWorkers: readonly string[];
}

/** A policy's answer, recorded as is in `route.decided`. */
export interface RouteDecision {
  /** The chosen candidate's worker name (must be one of the request's candidates). */
  worker: string;
  /** The policy's id and version, e.g. `ppo` and `3` (a policy file's version). */
  policy: string;
  version: string;
  /** The probability the policy gave each candidate, in candidate order (for off-policy learning). */
  probabilities?: number[];
}

/**
 * A router: consulted by the hub at the start of every attempt of a step with candidates. It must
 * answer synchronously (the decision is part of the deterministic step start) and quickly.
 *
 * @example
 * const cheapest: Router = { id: 'cheapest', version: '1', route: (r) => ({ worker: r.candidates[0].worker, policy: 'cheapest', version: '1' }) };
 */
export interface Router {
  readonly id: string;
  readonly version: string;
  /** A throw, or a worker that is not a candidate, fails the attempt with a RouteError (recorded, not retried). */
  route(request: RouteRequest): RouteDecision;
  /** Told when a run ends, with its history as written (continuous learning); optional. A throw is reported on stderr once per router and never fails the run. */
  observe?(history: readonly unknown[]): void;
}
