import { randomBytes } from 'node:crypto';
import type { Context, ErrorHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorPage } from './pages.ts';

/**
 * How the viewer answers when a request fails. A known failure (`HttpError`: unknown run,
 * unreadable history, ...) gets a page or JSON that says what is wrong, because that is about
 * the user's data. Anything else is a bug or an environment problem: the client gets a 500
 * with a short error id and nothing internal (a stack can reveal paths, and the page may be
 * reachable from the network with a token); the details go to the server's log under that id.
 */

/** Where a history file and line are known, they are shown to the user. */
export interface HttpErrorExtra {
  file?: string;
  line?: number;
}

/**
 * A failure to show to the client as is: status, page title and a one-line message.
 *
 * @example
 * throw new HttpError(404, 'No such run', `There is no run "${runId}" in ${store.root}.`);
 */
export class HttpError extends Error {
  constructor(readonly status: number, readonly title: string, message: string, readonly extra: HttpErrorExtra = {}) {
    super(message);
  }
}

/** What is known about an unexpected error besides the error itself (no query: it may hold the token). */
export interface UnexpectedErrorInfo {
  /** The id the client was shown. */
  id: string;
  method: string;
  path: string;
}

/** Receives every unexpected error; the default writes it, with its stack, to stderr. */
export type UiErrorReporter = (error: unknown, info: UnexpectedErrorInfo) => void;

/**
 * The default reporter: one line naming the error id and request, then the stack.
 *
 * @example
 * reportToStderr(new Error('boom'), { id: '1a2b3c4d', method: 'GET', path: '/api/runs' });
 * // stderr: orchestai ui: error 1a2b3c4d on GET /api/runs
 * //         Error: boom
 * //             at ...
 */
export function reportToStderr(error: unknown, { id, method, path }: UnexpectedErrorInfo): void {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  process.stderr.write(`orchestai ui: error ${id} on ${method} ${path}\n${detail}\n`);
}

/**
 * The response for a known error: JSON under `/api/`, an error page elsewhere (so a failure is
 * never a blank page and needs no script).
 *
 * @example
 * return respondWithHttpError(c, new HttpError(400, 'No instruction', 'pass ?instruction=…'));
 */
export function respondWithHttpError(c: Context, err: HttpError, more: Record<string, string> = {}): Response {
  const status = err.status as ContentfulStatusCode;
  if (c.req.path.startsWith('/api/')) return c.json({ error: err.message, title: err.title, ...err.extra, ...more }, status);
  return c.html(errorPage(err.status, err.title, err.message, err.extra), status);
}

/** A short id to find the report of one error in the log. */
function newErrorId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * The app's `onError`: known errors as they are, anything else as a generic 500 with an id,
 * reported with its stack to `report`.
 *
 * @example
 * app.onError(handleErrors(reportToStderr));
 */
export function handleErrors(report: UiErrorReporter): ErrorHandler {
  return (err, c) => {
    if (err instanceof HttpError) return respondWithHttpError(c, err);
    const id = newErrorId();
    try {
      report(err, { id, method: c.req.method, path: c.req.path });
    } catch {
      // A failing reporter must not turn the 500 into a dropped connection.
    }
    const generic = new HttpError(500, 'Server error', `Something went wrong on the server (error id ${id}); its log has the details.`);
    return respondWithHttpError(c, generic, { errorId: id });
  };
}

/**
 * Hono's `onError` only receives `Error` instances; anything else thrown (a string from a
 * custom store, say) would skip it and be answered by the node adapter with an empty 500 that
 * nobody logs. This wraps such values so they are reported like any other error.
 *
 * @example
 * app.use(nonErrorsAsErrors);
 */
export const nonErrorsAsErrors = createMiddleware(async (_c, next) => {
  try {
    await next();
  } catch (e) {
    throw e instanceof Error ? e : new Error(`non-Error value thrown: ${String(e)}`, { cause: e });
  }
});
