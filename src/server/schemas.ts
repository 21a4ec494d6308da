import { z } from '@hono/zod-openapi';
import { RUN_STATUSES } from '../history/store.ts';
import { ROLES } from './tokens.ts';

/** The request and response shapes of the API, from which the OpenAPI document is generated. */

export const ErrorBody = z.object({ error: z.string(), message: z.string() }).openapi('Error');

export const RunIdParam = z.object({ runId: z.string().min(1).openapi({ param: { name: 'runId', in: 'path' }, example: '20261204T230000000-3fa9c1' }) });

export const RunSummary = z
  .object({
    runId: z.string(),
    workflowId: z.string(),
    status: z.enum(RUN_STATUSES as [string, ...string[]]).openapi({ description: 'a run submitted to a shared store (PostgreSQL) that no hub has started yet is `running`, without an owner' }),
    startedAt: z.number(),
    finishedAt: z.number().optional(),
    durationMs: z.number().optional(),
    cost: z.number().optional(),
    instruction: z.string().optional(),
    source: z.string().optional(),
    damage: z.string().optional(),
    owner: z.object({ pid: z.number(), host: z.string(), alive: z.boolean() }).optional(),
  })
  .openapi('RunSummary');

/** `since`/`before`: epoch milliseconds or an ISO date. */
const Instant = z.string().openapi({ example: '2026-12-01T00:00:00Z' });

export const RunListQuery = z.object({
  status: z.string().optional().openapi({ description: `comma-separated statuses: ${RUN_STATUSES.join(', ')}`, example: 'running,failed' }),
  workflow: z.string().optional().openapi({ description: 'only runs of this workflow id' }),
  since: Instant.optional().openapi({ description: 'started at or after (ISO date or epoch ms)' }),
  before: Instant.optional().openapi({ description: 'started before (ISO date or epoch ms)' }),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const RunList = z.object({ runs: z.array(RunSummary), total: z.number().int(), offset: z.number().int(), limit: z.number().int(), elapsedMs: z.number() }).openapi('RunList');

export const StartRunBody = z
  .object({
    workflow: z.string().min(1).openapi({ description: 'a workflow id of the project config, or a built-in', example: 'build-website' }),
    input: z.unknown().optional().openapi({ description: "the run input (JSON); default: the workflow's default input" }),
    priority: z.number().int().optional().openapi({ description: 'lower starts first (default 0): among the runs waiting for a slot of this server, or for a hub on a shared store', example: 0 }),
  })
  .strict()
  .openapi('StartRun');

export const StartedRun = z.object({ runId: z.string(), workflowId: z.string(), status: z.enum(['started', 'queued']) }).openapi('StartedRun');

export const EventsQuery = z.object({ after: z.string().optional().openapi({ description: 'stream the events after this sequence number (wins over Last-Event-ID)', example: '12' }) });

export const ApproveBody = z
  .object({
    step: z.string().min(1),
    approved: z.boolean().default(true).openapi({ description: 'false rejects (as POST …/reject does)' }),
    comment: z.string().max(2000).optional(),
    by: z.string().min(1).max(200).optional().openapi({ description: "who decided, recorded with the token's name (or id)" }),
  })
  .strict()
  .openapi('Approve');

export const RejectBody = z.object({ step: z.string().min(1), comment: z.string().max(2000).optional(), by: z.string().min(1).max(200).optional() }).strict().openapi('Reject');

export const CancelBody = z.object({ reason: z.string().max(2000).optional(), by: z.string().min(1).max(200).optional() }).strict().openapi('Cancel');

export const Delivered = z
  .object({ runId: z.string(), delivered: z.enum(['live', 'queued']).openapi({ description: 'applied by the live run, or waiting for its resume' }), by: z.string(), step: z.string().optional(), approved: z.boolean().optional() })
  .openapi('Delivered');

export const PlanBody = z.object({ instruction: z.string().trim().min(1) }).strict().openapi('PlanRequest');
export const PlanResult = z
  .object({
    instruction: z.string(),
    plan: z.unknown(),
    fallback: z.unknown().optional(),
    unmatched: z.array(z.string()).optional().openapi({ description: 'clauses of the instruction no worker does; the plan leaves them undone' }),
    declined: z.array(z.string()).optional().openapi({ description: 'workers the planner chose and the instruction declines ("no report needed"), left out of the plan' }),
    idle: z.array(z.string()).optional().openapi({ description: 'workers the planner chose only to feed a declined one, left out of the plan with it' }),
    unreachable: z.array(z.string()).optional().openapi({ description: 'workers the planner chose that nothing the instruction gives can feed (a read of a document it never names), left out of the plan' }),
    cannotStart: z.array(z.string()).optional().openapi({ description: 'the first workers of a plan none of which gets its input from the instruction (no file named, no text quoted): the plan cannot run as planned' }),
    passedOver: z.array(z.object({ clause: z.string(), worker: z.string() })).optional().openapi({ description: 'clauses that name one worker the plan leaves out (zero-shot over a catalog of your own): the plan is low-confidence' }),
  })
  .openapi('Plan');

export const Role = z.enum(ROLES);
export const TokenInfo = z.object({ id: z.string(), role: Role, name: z.string().optional(), created: z.string() }).openapi('Token');
export const CreateTokenBody = z.object({ role: Role, name: z.string().min(1).max(100).optional() }).strict().openapi('CreateToken');
export const CreatedToken = TokenInfo.extend({ secret: z.string().openapi({ description: 'shown once; only its hash is stored' }) }).openapi('CreatedToken');
export const TokenIdParam = z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }) });

export const PruneBody = z
  .object({
    olderThanMs: z.number().int().min(0).openapi({ description: 'delete runs that started longer ago than this', example: 2_592_000_000 }),
    status: z.array(z.enum(['succeeded', 'failed', 'cancelled', 'interrupted', 'damaged'])).min(1).optional().openapi({ description: 'default: succeeded, failed, cancelled' }),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .openapi('Prune');

export const PruneResult = z.object({ deleted: z.array(z.string()), failed: z.array(z.object({ runId: z.string(), message: z.string() })), dryRun: z.boolean() }).openapi('PruneResult');
