import fs from 'node:fs';
import path from 'node:path';
import { createJsonlStore } from '../history/jsonl-store.ts';
import { parseHistory } from '../../machines/history/parse.ts';
import type { HistoryEvent } from '../../machines/history/events.ts';
import { isPostgresUrl } from '../server/open-store.ts';
import { CliError } from './command.ts';
import { storeOption, storeSpec } from './store-option.ts';
import { storeView } from '../ui/store-view.ts';

/**
 * Reads a history given a run id (from the store: `--store`, `$ORCHESTAI_STORE` when it is a
 * PostgreSQL URL, else the JSONL store) or a path to a .jsonl file.
 *
 * @example
 * const { events, file } = await loadHistory('20261121T...-abc123', io, values.store);
 */
export async function loadHistory(ref: string, io: { cwd: string; env: Record<string, string | undefined>; err(s: string): void }, storeFlag?: string): Promise<{ events: HistoryEvent[]; file: string }> {
  const asFile = path.resolve(io.cwd, ref);
  if (ref.endsWith('.jsonl') || (ref.includes('/') && fs.existsSync(asFile))) {
    if (!fs.existsSync(asFile)) throw new CliError(`history file not found: ${asFile}`);
    return { events: parseHistory(fs.readFileSync(asFile, 'utf8'), asFile, io.err).events, file: asFile };
  }
  const spec = await storeSpec(storeFlag, io);
  if (spec && isPostgresUrl(spec)) return fromDatabase(ref, spec, io);
  const store = createJsonlStore(storeFlag ?? io.env.ORCHESTAI_HOME);
  if (!store.exists(ref)) throw new CliError(`unknown run ${JSON.stringify(ref)} in ${store.root}`);
  return { events: store.read(ref, { onWarning: io.err }), file: store.pathOf(ref) };
}

async function fromDatabase(runId: string, spec: string, io: { cwd: string; env: Record<string, string | undefined> }): Promise<{ events: HistoryEvent[]; file: string }> {
  const { store, location, close } = await storeOption(spec, io);
  try {
    const { browser } = storeView(store);
    if (!(await browser.exists(runId))) throw new CliError(`unknown run ${JSON.stringify(runId)} in ${location}`);
    return { events: await browser.read(runId), file: `${location} run ${runId}` };
  } finally {
    await close();
  }
}
