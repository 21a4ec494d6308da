import { createJsonlStore } from '../../history/jsonl-store.ts';
import { defineCommand } from '../command.ts';

export default defineCommand({
  args: [{ name: 'runId', help: 'the run whose history to repair' }],
  options: {},
  help: 'Only a torn last line (a writer killed mid-write) is cut, after the file is copied to <file>.bak; any other damage is reported with its line and nothing is changed. `orchestai resume` then continues the run.',
  async run({ positionals, io, values }) {
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    const r = store.repair(positionals[0]);
    if (values.json) io.out(JSON.stringify(r));
    else if (!r.backup) io.out(`${r.file}: nothing to repair (${r.events} events, all complete)`);
    else io.out(`${r.file}: cut a torn last line (${r.removedBytes} bytes); the original is kept as ${r.backup}; ${r.events} events remain`);
    return 0;
  },
});
