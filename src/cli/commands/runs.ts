import { createJsonlStore } from '../../history/jsonl-store.ts';
import { defineCommand } from '../command.ts';
import { ms, table } from '../format.ts';

export default defineCommand({
  name: 'runs',
  summary: 'List recorded runs, newest first.',
  usage: 'runs [--limit N] [--offset N] [--json]',
  options: { limit: { type: 'string' }, offset: { type: 'string' } },
  async run({ values, io }) {
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    const page = store.listRuns({ limit: Number(values.limit ?? 20), offset: Number(values.offset ?? 0) });
    if (values.json) {
      io.out(JSON.stringify(page));
      return 0;
    }
    if (page.total === 0) {
      io.out(`no runs in ${store.root}`);
      return 0;
    }
    io.out(table([['RUN', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION', 'COST'], ...page.runs.map((r) => [r.runId, r.workflowId, r.status, new Date(r.startedAt).toISOString(), ms(r.durationMs), String(r.cost ?? '-')])]));
    io.out(`${page.runs.length} of ${page.total} runs`);
    return 0;
  },
});
