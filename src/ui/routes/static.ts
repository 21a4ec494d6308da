import { readFile } from 'node:fs/promises';
import { ASSET_FILES } from '../asset-files.ts';
import type { UiContext } from '../context.ts';
import { HttpError } from '../errors.ts';

/**
 * The page's script and stylesheet, and an empty favicon. Assets are read on each request
 * (they are small, and an edited asset shows on reload while developing).
 */

/**
 * GET /assets/:name — `app.js` or `app.css`.
 *
 * @example
 * app.get('/assets/:name', asset);
 */
export async function asset(c: UiContext<'/assets/:name'>): Promise<Response> {
  const name = c.req.param('name');
  const file = Object.hasOwn(ASSET_FILES, name) ? ASSET_FILES[name] : undefined;
  if (!file) throw new HttpError(404, 'Not found', `Nothing is served at ${new URL(c.req.url).pathname}.`);
  return c.body(await readFile(file.url, 'utf8'), 200, { 'content-type': file.contentType });
}

/**
 * GET /favicon.ico — none, said quickly, so browsers stop asking and logs stay clean.
 *
 * @example
 * app.get('/favicon.ico', favicon);
 */
export function favicon(c: UiContext): Response {
  return c.body(null, 204, { 'content-type': 'image/x-icon' });
}
