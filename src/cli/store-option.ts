import { loadProjectConfig } from '../project/config.ts';
import { isPostgresUrl, openStore, withoutPassword, type OpenedStore } from '../server/open-store.ts';
import { browserControl, type BrowserControl } from '../ui/browser-control.ts';
import { storeView } from '../ui/store-view.ts';
import { CliError } from './command.ts';

type Where = { env: Record<string, string | undefined>; cwd: string };

/**
 * Which store a command works on: `--store`, else `$ORCHESTAI_STORE`, else the project config's
 * `store`; undefined means the JSONL store at `$ORCHESTAI_HOME`.
 *
 * @example
 * const spec = await storeSpec(values.store, io); // 'postgres://…' or undefined
 */
export async function storeSpec(flag: string | undefined, io: Where): Promise<string | undefined> {
  return flag ?? io.env.ORCHESTAI_STORE ?? (await loadProjectConfig(io.cwd))?.config.store;
}

/**
 * The Redis hubs and workers meet on: `--redis`, else `$ORCHESTAI_REDIS`, else the project config's `redis`.
 *
 * @example
 * const redis = await redisSpec(values.redis, io);
 */
export async function redisSpec(flag: string | undefined, io: Where): Promise<string | undefined> {
  return flag ?? io.env.ORCHESTAI_REDIS ?? (await loadProjectConfig(io.cwd))?.config.redis;
}

/**
 * Opens the store a command was pointed at (see `storeSpec`); one that cannot be opened is a
 * one-line error with any password masked.
 *
 * @example
 * const { store, location, close } = await storeOption(values.store, io);
 */
export async function storeOption(flag: string | undefined, io: Where): Promise<OpenedStore> {
  const spec = await storeSpec(flag, io);
  try {
    return await openStore(spec, io.env);
  } catch (e: any) {
    throw new CliError(`cannot open the store ${withoutPassword(spec ?? '')}: ${withoutPassword(String(e?.message ?? e))}`);
  }
}

/**
 * For `approve` and `cancel`: the run control of the PostgreSQL store the command was pointed at,
 * or undefined for the JSONL store (whose own path also resumes a run here). Its hubs apply the
 * request: `--resume` has no meaning there.
 *
 * @example
 * const remote = await databaseControl(values.store, io);
 * if (remote) return report(await remote.control.cancel(runId, { by }));
 */
export async function databaseControl(flag: string | undefined, io: Where): Promise<{ control: BrowserControl; close(): Promise<void> } | undefined> {
  const spec = await storeSpec(flag, io);
  if (!spec || !isPostgresUrl(spec)) return undefined;
  const opened = await storeOption(spec, io);
  return { control: browserControl(storeView(opened.store).browser), close: opened.close };
}
