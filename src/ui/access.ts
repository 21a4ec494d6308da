import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { isLoopbackHost, TOKEN_COOKIE, tokenMatches } from './auth.ts';
import { errorPage } from './pages.ts';

/**
 * The viewer's access rules as middleware, run before any route: it only reads (GET/HEAD);
 * without a token it answers only requests addressed to a loopback name; with a token every
 * request must carry it.
 */

/**
 * Refuses every method but GET and HEAD (Hono answers HEAD with the GET route, minus the body).
 *
 * @example
 * app.use(onlyGetAndHead); // POST /api/runs -> 405 {"error":"only GET is served"}
 */
export const onlyGetAndHead = createMiddleware(async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  return c.json({ error: 'only GET is served' }, 405, { allow: 'GET, HEAD' });
});

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
