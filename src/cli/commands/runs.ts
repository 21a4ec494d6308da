import { storeOption } from '../store-option.ts';
import { storeView } from '../../ui/store-view.ts';
import { RUN_STATUSES, type RunSummary } from '../../history/store.ts';
import { defineCommand } from '../command.ts';
import { date, nonNegativeInt, positiveInt } from '../options.ts';
import { ms, table } from '../format.ts';

export default defineCommand({
  options: {
    limit: { help: 'how many runs to list', parse: positiveInt, default: 20 },
    offset: { help: 'how many of the newest matching runs to skip', parse: nonNegativeInt, default: 0 },
    status: { help: 'only runs with this status', choices: RUN_STATUSES },
    workflow: { help: 'only runs of this workflow id', value: 'id' },
    since: { help: 'only runs started at or after this date (ISO) or this long ago (7d, 12h)', parse: date },
    store: { help: 'list the runs of this store: a postgres:// URL or a JSONL folder', value: 'url|dir', defaultText: '$ORCHESTAI_STORE, else $ORCHESTAI_HOME' },
  },
  async run({ values, io }) {
    const opened = await storeOption(values.store, io);
    const query = { limit: values.limit, offset: values.offset, status: values.status, workflowId: values.workflow, since: values.since?.getTime() };
    const page = await storeView(opened.store).browser.listRuns(query).finally(() => opened.close());
    if (values.json) {
      io.out(JSON.stringify(page));
      return 0;
    }
    if (page.total === 0) {
      io.out(`no ${values.status || values.workflow || values.since ? 'matching ' : ''}runs in ${opened.location}`);
      return 0;
    }
    io.out(table([['RUN', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION', 'COST'], ...page.runs.map(row)]));
    for (const r of page.runs) if (r.damage) io.out(`damaged ${r.runId}: ${r.damage}`);
    io.out(`${page.runs.length} of ${page.total} runs`);
    return 0;
  },
});

/** A run as a row; a damaged history has no start time to show. */
function row(r: RunSummary): string[] {
  const started = r.startedAt > 0 ? new Date(r.startedAt).toISOString() : '-';
  return [r.runId, r.workflowId, r.status, started, ms(r.durationMs), r.cost === undefined ? '-' : String(r.cost)];
}
