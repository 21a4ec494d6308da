import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Access rules for the viewer: on loopback it is open (like any local dev server); on any
 * other address a token is required, checked on every request, because histories hold
 * step inputs and outputs.
 */

/**
 * True for addresses only this machine can reach.
 *
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('0.0.0.0');   // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The cookie the page keeps the token in after the first `?token=` visit. */
export const TOKEN_COOKIE = 'orchestai_ui_token';

/**
 * The token a request carries: `Authorization: Bearer <t>`, `?token=<t>`, or the cookie.
 *
 * @example
 * requestToken(req, new URL(req.url!, 'http://x')); // 's3cret' | undefined
 */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const q = url.searchParams.get('token');
  if (q) return q;
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * Constant-time token comparison.
 *
 * @example
 * tokenMatches('abc', 'abc'); // true
 */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
