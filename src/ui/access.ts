import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { isLoopbackHost, TOKEN_COOKIE, tokenMatches } from './auth.ts';
import { errorPage } from './pages.ts';

/**
 * The viewer's access rules as middleware, run before any route: it reads (GET/HEAD), except
 * for the two run controls, which take POST only and only from the viewer's own page; without
 * a token it answers only requests addressed to a loopback name; with a token every request
 * must carry it.
 */

/**
 * The routes that change something: POST only, and guarded by `sameOriginJson`. Matched on
 * `c.req.path`, the path Hono's router matches, so a route and its method rule see the same path.
 */
export const POST_ROUTES: readonly RegExp[] = [/^\/api\/runs\/[^/]+\/approve$/, /^\/api\/runs\/[^/]+\/cancel$/];

/**
 * Refuses every method but GET and HEAD (Hono answers HEAD with the GET route, minus the body),
 * except on `POST_ROUTES`, which take POST and nothing else. OPTIONS is refused everywhere:
 * the viewer never answers a CORS preflight, so a page of another origin cannot send it a
 * JSON POST.
 *
 * @example
 * app.use(allowedMethods); // POST /api/runs -> 405 {"error":"only GET is served"}; GET /api/runs/r1/cancel -> 405, Allow: POST
 */
export const allowedMethods = createMiddleware(async (c, next) => {
  if (POST_ROUTES.some((r) => r.test(c.req.path))) {
    if (c.req.method === 'POST') return next();
    return c.json({ error: 'only POST is served here' }, 405, { allow: 'POST' });
  }
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  return c.json({ error: 'only GET is served' }, 405, { allow: 'GET, HEAD' });
});

/**
 * Guards the POST routes against requests from other sites (CSRF): the body must be declared
 * `application/json` (a page of another origin can only send that after a CORS preflight, which
 * is never answered), an `Origin` header, when sent, must be this viewer's own, and so must a
 * `Sec-Fetch-Site` header. Off loopback, `requireToken` has already run (and its cookie is
 * `SameSite=Strict`).
 *
 * The Origin's host and port are compared with the Host header the request came to (which
 * `loopbackHostOnly` or the token has vouched for); its scheme is not, since a proxy that
 * terminates TLS in front of the viewer changes it.
 *
 * @example
 * app.post('/api/runs/:runId/cancel', sameOriginJson, cancelRun); // text/plain -> 415; Origin: https://evil.example -> 403
 */
export const sameOriginJson = createMiddleware(async (c, next) => {
  const origin = c.req.header('origin');
  if (origin !== undefined && !isOwnOrigin(origin, c.req.header('host'))) {
    return c.json({ error: `requests from ${JSON.stringify(origin)} are refused: only the viewer's own page can do this` }, 403);
  }
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return c.json({ error: `a ${site} request is refused: only the viewer's own page can do this` }, 403);
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return c.json({ error: 'send the request body as JSON, with Content-Type: application/json' }, 415);
  return next();
});

/** Whether an `Origin` header names the host and port this request was sent to. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
    // Parsing the Host under the Origin's scheme drops a default port the same way on both sides.
    return o.host === new URL(`${o.protocol}//${host}`).host;
  } catch {
    return false; // `Origin: null` (sandboxed frames, file: pages) and anything unparsable
  }
}

/**
 * For a viewer open without a token: refuses requests whose Host header is not a loopback
 * name, so a web page cannot reach it through DNS rebinding (its requests would carry the
 * attacker's host name while connecting to 127.0.0.1).
 *
 * The raw header is checked, not the request URL: the node adapter fills in a default host
 * when the header is missing, and that must not count as loopback.
 *
 * @example
 * app.use(loopbackHostOnly); // Host: evil.example:4400 -> 403
 */
export const loopbackHostOnly = createMiddleware(async (c, next) => {
  const hostName = (c.req.header('host') ?? '').replace(/:\d+$/, '');
  if (isLoopbackHost(hostName)) return next();
  return c.text(`Host ${JSON.stringify(hostName)} is not a loopback name; use http://127.0.0.1:<port>/ or start with --token`, 403);
});

/**
 * Requires `token` on every request, from `Authorization: Bearer`, `?token=` or the cookie.
 * A `?token=` visit (the URL `orchestai ui` prints) also sets the cookie, so the page's own
 * requests and links work without the token in each URL. Hono's `bearerAuth` reads only the
 * header, hence this.
 *
 * @example
 * app.use(requireToken('correct-horse')); // no token -> 401 page (or JSON under /api/)
 */
export function requireToken(token: string) {
  return createMiddleware(async (c, next) => {
    if (!tokenMatches(token, requestToken(c))) {
      if (c.req.path.startsWith('/api/')) return c.json({ error: 'missing or wrong token' }, 401);
      return c.html(errorPage(401, 'Token required', 'Open the URL printed by `orchestai ui`, which carries ?token=…'), 401);
    }
    if (c.req.query('token')) setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return next();
  });
}

type RequestContext = Parameters<typeof getCookie>[0];

/** The token a request carries, header first, then query, then cookie. */
function requestToken(c: RequestContext): string | undefined {
  const auth = c.req.header('authorization');
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return c.req.query('token') || getCookie(c, TOKEN_COOKIE);
}
