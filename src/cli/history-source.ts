import fs from 'node:fs';
import path from 'node:path';
import { createJsonlStore } from '../history/jsonl-store.ts';
import { parseHistory } from '../../machines/history/parse.ts';
import type { HistoryEvent } from '../../machines/history/events.ts';
import { CliError } from './command.ts';

/**
 * Reads a history given a run id (from the store) or a path to a .jsonl file.
 *
 * @example
 * const { events, file } = loadHistory('20261121T...-abc123', io);
 */
export function loadHistory(ref: string, io: { cwd: string; env: NodeJS.ProcessEnv; err(s: string): void }): { events: HistoryEvent[]; file: string } {
  const asFile = path.resolve(io.cwd, ref);
  if (ref.endsWith('.jsonl') || (ref.includes('/') && fs.existsSync(asFile))) {
    if (!fs.existsSync(asFile)) throw new CliError(`history file not found: ${asFile}`);
    return { events: parseHistory(fs.readFileSync(asFile, 'utf8'), asFile, io.err).events, file: asFile };
  }
  const store = createJsonlStore(io.env.ORCHESTAI_HOME);
  if (!store.exists(ref)) throw new CliError(`unknown run ${JSON.stringify(ref)} in ${store.root}`);
  return { events: store.read(ref, { onWarning: io.err }), file: store.pathOf(ref) };
}
