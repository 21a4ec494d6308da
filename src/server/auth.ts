import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { sameOriginJson } from '../ui/access.ts';
import { errorPage } from '../ui/pages.ts';
import { roleAllows, type Role, type TokenInfo } from './tokens.ts';

/**
 * Who may do what on the server: every request but the OpenAPI document carries a role token
 * (`Authorization: Bearer`, or for the viewer's pages `?token=` once, then a cookie). Reads need
 * `viewer`; starting, approving, rejecting, cancelling and planning (also the viewer's planner
 * panel) need `operator`; tokens and
 * pruning need `admin`. A missing or unknown token is a 401, a role too low a 403, both with a
 * JSON body `{ error, message }` (an HTML page for the viewer's pages).
 */

/** Checks a presented secret; the server passes its `TokenStore`. */
export interface TokenVerifier {
  verify(secret: string | undefined): TokenInfo | undefined;
}

export type ServerEnv = { Variables: { principal: TokenInfo } };

/** The cookie the viewer's pages keep the token in after a `?token=` visit. */
export const SERVER_TOKEN_COOKIE = 'orchestai_server_token';

/** Paths anyone may read: the API's description holds no data. */
const PUBLIC_PATHS = new Set(['/api/openapi.json']);

/** Paths (by prefix) only an admin may use, whatever the method. */
const ADMIN_PATHS = [/^\/api\/tokens(\/|$)/, /^\/api\/prune$/];

/** Reads that act: the viewer's planner panel plans, which may call a paid LLM fallback. */
const OPERATOR_READS = [/^\/api\/plan$/];

/**
 * The role a request needs.
 *
 * @example
 * neededRole('GET', '/api/runs'); // 'viewer'
 * neededRole('POST', '/api/runs'); // 'operator'
 * neededRole('DELETE', '/api/tokens/ab12'); // 'admin'
 */
export function neededRole(method: string, path: string): Role {
  if (ADMIN_PATHS.some((r) => r.test(path))) return 'admin';
  if (OPERATOR_READS.some((r) => r.test(path))) return 'operator';
  return method === 'GET' || method === 'HEAD' ? 'viewer' : 'operator';
}

/**
 * A refusal: JSON under `/api/` and `/metrics`, a page elsewhere.
 *
 * @example
 * return refuse(c, 403, 'forbidden', 'this needs the operator role');
 */
export function refuse(c: Context, status: 401 | 403, error: string, message: string): Response {
  const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer realm="orchestai"' } : {};
  if (c.req.path.startsWith('/api/') || c.req.path === '/metrics') return c.json({ error, message }, status, headers);
  return c.html(errorPage(status, status === 401 ? 'Token required' : 'Not allowed', message), status, headers);
}

/**
 * Authenticates and authorises every request (see the file comment); a POST sent with the
 * cookie rather than a header must also come from the viewer's own page (CSRF).
 *
 * @example
 * app.use(requireRoleToken(new TokenStore(store.root)));
 */
export function requireRoleToken(tokens: TokenVerifier) {
  return createMiddleware<ServerEnv>(async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const presented = presentedToken(c);
    const principal = tokens.verify(presented?.secret);
    if (!presented) return refuse(c, 401, 'unauthorized', 'this needs a token: send Authorization: Bearer <token> (create one with `orchestai token create --role viewer`)');
    if (!principal) return refuse(c, 401, 'unauthorized', 'the token is unknown or revoked');
    const needed = neededRole(c.req.method, c.req.path);
    if (!roleAllows(principal.role, needed)) return refuse(c, 403, 'forbidden', `${c.req.method} ${c.req.path} needs the ${needed} role; this token has ${principal.role}`);
    c.set('principal', principal);
    if (presented.via !== 'header' && c.req.method !== 'GET' && c.req.method !== 'HEAD') return sameOriginJson(c, next);
    await next();
    if (presented.via === 'query') {
      // The answer may be the viewer's own Response (headers fixed): copy it to add the cookie.
      c.res = new Response(c.res.body, c.res);
      setCookie(c, SERVER_TOKEN_COOKIE, presented.secret, { httpOnly: true, sameSite: 'Strict', path: '/' });
    }
  });
}

/** The token a request carries and how: header first, then `?token=`, then the cookie. */
function presentedToken(c: Context): { secret: string; via: 'header' | 'query' | 'cookie' } | undefined {
  const auth = c.req.header('authorization');
  if (auth !== undefined) return /^Bearer\s+\S/i.test(auth) ? { secret: auth.replace(/^Bearer\s+/i, '').trim(), via: 'header' } : undefined;
  const query = c.req.query('token');
  if (query) return { secret: query, via: 'query' };
  const cookie = getCookie(c, SERVER_TOKEN_COOKIE);
  return cookie ? { secret: cookie, via: 'cookie' } : undefined;
}
