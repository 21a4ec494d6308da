import { createJsonlStore } from '../../history/jsonl-store.ts';
import { defineCommand } from '../command.ts';
import { nonNegativeInt, positiveInt } from '../options.ts';
import { ms, table } from '../format.ts';

export default defineCommand({
  options: {
    limit: { help: 'how many runs to list', parse: positiveInt, default: 20 },
    offset: { help: 'how many of the newest runs to skip', parse: nonNegativeInt, default: 0 },
  },
  async run({ values, io }) {
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    const page = store.listRuns({ limit: values.limit, offset: values.offset });
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
