import { z } from 'zod';

/**
 * The run history: one JSON object per line in `.orchestai/runs/<runId>.jsonl`.
 * `seq` starts at 1 and has no gaps; `t` is the runtime clock's epoch ms.
 * Events marked INPUT are facts from outside the machine (worker results, timer
 * firings, approvals, cancellation); replay feeds them to the machine and checks
 * that every other event comes out the same.
 */
const ErrorInfo = z.object({ name: z.string(), message: z.string(), retryable: z.boolean() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

const base = { seq: z.number().int().positive(), t: z.number() };

export const HistoryEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('run.started'),
    runId: z.string(),
    workflowId: z.string(),
    workflowHash: z.string(),
    input: z.unknown(),
    /** Where the workflow came from (built-in name or module path), so CLI replay/resume can load it. */
    source: z.string().optional(),
    /** The instruction, for runs planned from one. */
    instruction: z.string().optional(),
    /** The process that wrote it (`o-<random>-<pid>`): the run's owner until a `run.resumed` names another. */
    owner: z.string().optional(),
  }),
  /**
   * INPUT: the router's choice for one attempt of a step with candidates, recorded just before that
   * attempt's `step.started` (whose `worker` is `worker`). Replay and resume reuse it and never ask a
   * policy. `probabilities`: what the policy gave each candidate, in candidate order. `error`: the
   * router failed (threw), so the attempt failed with a RouteError and `worker` is empty.
   * `capability`: the step's capability, recorded only when it is not the step id.
   */
  z.object({
    ...base,
    type: z.literal('route.decided'),
    step: z.string(),
    attempt: z.number().int(),
    worker: z.string(),
    candidates: z.array(z.string()),
    capability: z.string().optional(),
    policy: z.string(),
    version: z.string(),
    probabilities: z.array(z.number()).optional(),
    group: z.string().optional(),
    error: z.string().optional(),
  }),
  z.object({ ...base, type: z.literal('step.started'), step: z.string(), worker: z.string(), attempt: z.number().int(), input: z.unknown(), group: z.string().optional() }),
  /** INPUT. `cached`: the output came from the results cache, no call was made. */
  z.object({ ...base, type: z.literal('step.succeeded'), step: z.string(), attempt: z.number().int(), output: z.unknown(), durationMs: z.number(), cost: z.number().optional(), group: z.string().optional(), cached: z.literal(true).optional() }),
  /** INPUT. `cost`: what the failed attempt cost (reported, or from its worker's price), summed into the run's cost. */
  z.object({ ...base, type: z.literal('step.failed'), step: z.string(), attempt: z.number().int(), error: ErrorInfo, durationMs: z.number(), cost: z.number().optional(), group: z.string().optional() }),
  z.object({ ...base, type: z.literal('timer.set'), id: z.string(), delayMs: z.number(), fireAt: z.number(), step: z.string().optional(), purpose: z.enum(['backoff', 'timeout', 'approval']).optional() }),
  /** INPUT */
  z.object({ ...base, type: z.literal('timer.fired'), id: z.string() }),
  z.object({ ...base, type: z.literal('timer.cancelled'), id: z.string() }),
  /** INPUT. `requestId`: the control request that carried it, when it came from another process. */
  z.object({ ...base, type: z.literal('approval.received'), step: z.string(), approved: z.boolean(), by: z.string().optional(), comment: z.string().optional(), requestId: z.string().optional() }),
  /** Active leaf states before and after, as `step.state` paths; `event` is the machine event that caused it. */
  z.object({ ...base, type: z.literal('transition'), event: z.string(), from: z.array(z.string()), to: z.array(z.string()) }),
  /** INPUT: marks a resume; `inFlight` attempts are run again (at-least-once). */
  z.object({ ...base, type: z.literal('run.resumed'), inFlight: z.array(z.string()), timers: z.array(z.string()), owner: z.string().optional() }),
  /** INPUT */
  z.object({ ...base, type: z.literal('run.cancelled'), reason: z.string().optional(), by: z.string().optional(), requestId: z.string().optional() }),
  /**
   * INPUT: the run's process stopped on purpose (SIGTERM, SIGINT, `interrupt()`) and gave the run
   * up; `inFlight` attempts were abandoned and run again on resume, like after a crash.
   */
  z.object({ ...base, type: z.literal('run.interrupted'), reason: z.string(), inFlight: z.array(z.string()) }),
  z.object({ ...base, type: z.literal('run.finished'), status: z.enum(['succeeded', 'failed', 'cancelled']), final: z.string().optional(), output: z.unknown().optional(), error: ErrorInfo.optional(), cost: z.number(), durationMs: z.number() }),
]);

export type HistoryEvent = z.infer<typeof HistoryEventSchema>;
export type HistoryEventType = HistoryEvent['type'];
/**
 * An event as a writer takes it: any member of the union without its `seq` (the writer numbers
 * it). Distributed over the union, so a `step.succeeded` without `output` or a misspelt `type` is
 * a type error rather than a malformed line on disk.
 */
export type NewHistoryEvent = HistoryEvent extends infer E ? (E extends HistoryEvent ? Omit<E, 'seq'> : never) : never;
export type EventOf<T extends HistoryEventType> = Extract<HistoryEvent, { type: T }>;

/** Events that come from outside the machine; replay feeds these and checks the rest. */
export const INPUT_EVENTS: ReadonlySet<HistoryEventType> = new Set([
  'route.decided',
  'step.succeeded',
  'step.failed',
  'timer.fired',
  'approval.received',
  'run.resumed',
  'run.cancelled',
  'run.interrupted',
]);
