/**
 * What a plan result says beside its plan: clauses no worker does, workers declined (with those
 * that only fed them) or unreachable (left out), the first workers of a plan that cannot start;
 * `PlanResult` carries them. A module of its own so the server and the viewer read them without
 * loading the planner.
 */
/** A clause of the instruction that names a worker the plan leaves out. */
export interface PassedOver { clause: string; worker: string }

export interface PlanNotes {
  /**
   * The instruction's clauses no worker of the catalog does ("email it to my boss"), when any.
   * From the trained model they make the plan low-confidence (see `lowerForUnmatched`); from the
   * zero-shot matcher they are its own unmatched clauses.
   */
  unmatched?: string[];
  /** Workers the planner chose and the instruction declines ("no report needed"), dropped from the plan (see `dropDeclinedSteps`); not for an LLM plan. */
  declined?: string[];
  /** Workers the planner chose only to feed a declined one ("leave the tone out": the read of the feedback file), dropped with it (see `dropDeclinedSteps`); not for an LLM plan. */
  idle?: string[];
  /** Workers the planner chose that nothing the instruction gives can feed (a read of a document it never names), dropped from the plan (see `withoutUnfedSteps`); not for an LLM plan. */
  unreachable?: string[];
  /**
   * The plan's first workers when none gets its input from the instruction ("summarise my meeting
   * notes": no file named, no text quoted): the plan cannot run as planned, and its confidence is 0.
   * Not for an LLM plan.
   */
  cannotStart?: string[];
  /**
   * Clauses that name one worker, which the plan leaves out ("email me the ticket" -> send_email),
   * from the general planner: the plan is low-confidence, since it may have dropped an ask. Not for
   * an LLM plan.
   */
  passedOver?: PassedOver[];
}

/**
 * The notes of a plan result that say something (empty lists left out), as `plan --json`,
 * `POST /api/plan` and the viewer show them.
 *
 * @example
 * planNotes({ unmatched: [], declined: ['compose-report'] }) // { declined: ['compose-report'] }
 */
export function planNotes(result: PlanNotes): PlanNotes {
  const { unmatched = [], declined = [], idle = [], unreachable = [], cannotStart = [], passedOver = [] } = result;
  return Object.fromEntries(Object.entries({ unmatched, declined, idle, unreachable, cannotStart, passedOver }).filter(([, xs]) => xs.length > 0));
}
