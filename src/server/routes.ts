import { createRoute, z } from '@hono/zod-openapi';
import * as s from './schemas.ts';

/**
 * The API's routes as OpenAPI declarations (path, method, role, request and response shapes).
 * `app.ts` binds a handler to each; the OpenAPI document at `/api/openapi.json` is built from them.
 */

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const security = [{ bearer: [] }];
const refusals = {
  401: json(s.ErrorBody, 'no token, or an unknown one'),
  403: json(s.ErrorBody, 'the token has a role too low'),
};
const runRefusals = { ...refusals, 404: json(s.ErrorBody, 'no such run') };

export const listRunsRoute = createRoute({
  method: 'get', path: '/api/runs', tags: ['runs'], security, summary: 'List runs, newest first (role: viewer)',
  request: { query: s.RunListQuery },
  responses: { 200: json(s.RunList, 'one page of runs'), 400: json(s.ErrorBody, 'a bad filter'), ...refusals },
});

export const startRunRoute = createRoute({
  method: 'post', path: '/api/runs', tags: ['runs'], security, summary: 'Start a run of a project or built-in workflow in the server, or, on a shared store (PostgreSQL), submit it for the hubs (role: operator)',
  request: body(s.StartRunBody),
  responses: { 202: json(s.StartedRun, 'the run started (or waits for a slot)'), 400: json(s.ErrorBody, 'a bad body'), 404: json(s.ErrorBody, 'no such workflow'), 422: json(s.ErrorBody, 'the project config or a workflow module fails to load'), ...refusals },
});

export const getRunRoute = createRoute({
  method: 'get', path: '/api/runs/{runId}', tags: ['runs'], security, summary: "A run's header, timeline and what can be done with it (role: viewer)",
  request: { params: s.RunIdParam },
  responses: { 200: json(z.record(z.string(), z.unknown()).openapi('Run'), 'the run'), 422: json(s.ErrorBody, 'the history cannot be read'), ...runRefusals },
});

export const runEventsRoute = createRoute({
  method: 'get', path: '/api/runs/{runId}/events', tags: ['runs'], security,
  summary: "A run's events as Server-Sent Events after a sequence number (with Accept: text/event-stream; a queued run is waited for), else as JSON (role: viewer)",
  request: { params: s.RunIdParam, query: s.EventsQuery, headers: z.object({ 'last-event-id': z.string().optional() }) },
  responses: {
    200: {
      description: 'text/event-stream: `id: <seq>` and `data: <event>` per event, ending after run.finished; JSON `{ total, events }` otherwise',
      content: { 'text/event-stream': { schema: z.string() }, 'application/json': { schema: z.object({ total: z.number(), events: z.array(z.record(z.string(), z.unknown())) }) } },
    },
    ...runRefusals,
  },
});

/** What approve and reject answer: the same outcomes for either decision. */
const decisionResponses = {
  200: json(s.Delivered, 'the decision was recorded'),
  400: json(s.ErrorBody, 'a bad body'),
  409: json(s.ErrorBody, 'the step is not waiting, the run finished, or it is still queued'),
  ...runRefusals,
};

export const approveRoute = createRoute({
  method: 'post', path: '/api/runs/{runId}/approve', tags: ['control'], security, summary: 'Approve (or, with approved: false, reject) a step waiting for approval (role: operator)',
  request: { params: s.RunIdParam, ...body(s.ApproveBody) },
  responses: decisionResponses,
});

export const rejectRoute = createRoute({
  method: 'post', path: '/api/runs/{runId}/reject', tags: ['control'], security, summary: 'Reject a step waiting for approval (role: operator)',
  request: { params: s.RunIdParam, ...body(s.RejectBody) },
  responses: decisionResponses,
});

export const cancelRoute = createRoute({
  method: 'post', path: '/api/runs/{runId}/cancel', tags: ['control'], security, summary: 'Cancel an unfinished run (role: operator)',
  request: { params: s.RunIdParam, ...body(s.CancelBody) },
  responses: { 200: json(s.Delivered, 'the cancellation was recorded'), 400: json(s.ErrorBody, 'a bad body'), 409: json(s.ErrorBody, 'the run finished, or it is still queued'), ...runRefusals },
});

export const planRoute = createRoute({
  method: 'post', path: '/api/plan', tags: ['planner'], security, summary: 'Plan an instruction into a DAG of workers with the learned planner (role: operator)',
  request: body(s.PlanBody),
  responses: { 200: json(s.PlanResult, 'the plan'), 400: json(s.ErrorBody, 'a bad body'), 422: json(s.ErrorBody, 'the planner cannot plan this instruction'), ...refusals },
});

export const listTokensRoute = createRoute({
  method: 'get', path: '/api/tokens', tags: ['admin'], security, summary: 'List tokens, without secrets (role: admin)',
  responses: { 200: json(z.object({ tokens: z.array(s.TokenInfo) }), 'the tokens'), ...refusals },
});

export const createTokenRoute = createRoute({
  method: 'post', path: '/api/tokens', tags: ['admin'], security, summary: 'Create a token; its secret is in this response only (role: admin)',
  request: body(s.CreateTokenBody),
  responses: { 201: json(s.CreatedToken, 'the new token'), 400: json(s.ErrorBody, 'a bad body'), ...refusals },
});

export const revokeTokenRoute = createRoute({
  method: 'delete', path: '/api/tokens/{id}', tags: ['admin'], security, summary: 'Revoke a token (role: admin)',
  request: { params: s.TokenIdParam },
  responses: { 200: json(z.object({ revoked: z.string() }), 'revoked'), 404: json(s.ErrorBody, 'no such token'), ...refusals },
});

export const pruneRoute = createRoute({
  method: 'post', path: '/api/prune', tags: ['admin'], security, summary: 'Delete finished runs older than a duration; never one a live process holds (role: admin)',
  request: body(s.PruneBody),
  responses: { 200: json(s.PruneResult, 'what was (or would be) deleted'), 400: json(s.ErrorBody, 'a bad body'), ...refusals },
});

export const metricsRoute = createRoute({
  method: 'get', path: '/metrics', tags: ['metrics'], security, summary: 'Prometheus metrics: runs by status, step durations, queue depth, worker cost (role: viewer)',
  responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } }, ...refusals },
});
