import { timingSafeEqual } from 'node:crypto';

/**
 * Access rules for the viewer: on loopback it is open (like any local dev server); on any
 * other address a token is required, checked on every request, because histories hold
 * step inputs and outputs. These are the checks themselves; `access.ts` applies them to
 * requests.
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
