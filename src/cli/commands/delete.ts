import { createJsonlStore } from '../../history/jsonl-store.ts';
import { CliError, defineCommand } from '../command.ts';

export default defineCommand({
  args: [{ name: 'runId...', help: 'the runs to delete' }],
  options: {
    yes: { help: 'do not ask for confirmation (needed without a terminal)', short: 'y' },
  },
  help: "Deletes a run's history, lock, control requests, backups and artifacts. A run a live process holds is refused: cancel it first.",
  async run({ positionals, values, io }) {
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    for (const id of positionals) if (!store.exists(id)) throw new CliError(`unknown run ${JSON.stringify(id)} in ${store.root}`);
    if (!values.yes && !(io.isTTY && (await io.confirm(`Delete ${positionals.length} run(s) and their artifacts?`)))) {
      throw new CliError(io.isTTY ? 'nothing deleted' : 'nothing deleted: pass --yes to delete without a terminal');
    }
    for (const id of positionals) store.delete(id); // a live run throws RunOwnedError, naming its owner
    io.out(values.json ? JSON.stringify({ deleted: positionals }) : `deleted ${positionals.length} run(s)`);
    return 0;
  },
});
