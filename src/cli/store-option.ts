import { openStore, withoutPassword, type OpenedStore } from '../server/open-store.ts';
import { CliError } from './command.ts';

/**
 * The store a serving command was pointed at (`--store`, else `$ORCHESTAI_STORE`, else the JSONL
 * store at `$ORCHESTAI_HOME`); one that cannot be opened is a one-line error with any password masked.
 *
 * @example
 * const { store, location, close } = await storeOption(values.store, io.env);
 */
export async function storeOption(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<OpenedStore> {
  const spec = flag ?? env.ORCHESTAI_STORE;
  try {
    return await openStore(spec, env);
  } catch (e: any) {
    throw new CliError(`cannot open the store ${withoutPassword(spec ?? '')}: ${withoutPassword(String(e?.message ?? e))}`);
  }
}
