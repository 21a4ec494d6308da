import { createJsonlStore } from '../../history/jsonl-store.ts';
import type { RunStatus } from '../../history/store.ts';
import { CliError, defineCommand } from '../command.ts';
import { duration } from '../options.ts';

/** What prune deletes unless told otherwise: runs that ended. Interrupted and damaged runs only when named. */
const FINISHED: RunStatus[] = ['succeeded', 'failed', 'cancelled'];

export default defineCommand({
  options: {
    'older-than': { help: 'delete runs that started longer ago than this (30d, 12h, 90m)', parse: duration },
    status: { help: 'only runs with this status (default: succeeded, failed and cancelled)', choices: ['succeeded', 'failed', 'cancelled', 'interrupted', 'damaged'] },
    'dry-run': { help: 'list what would be deleted, delete nothing' },
    yes: { help: 'do not ask for confirmation (needed without a terminal)', short: 'y' },
  },
  help: 'A run a live process holds is never deleted. With each run go its lock, its control requests, its backups and its artifacts.',
  async run({ values, io }) {
    if (values['older-than'] === undefined) throw new CliError('prune needs --older-than <duration>, e.g. --older-than 30d');
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    const before = Date.now() - values['older-than'];
    const statuses = values.status ? [values.status] : FINISHED;
    const doomed = store.listRuns({ status: statuses, before, limit: Number.MAX_SAFE_INTEGER }).runs.filter((r) => !r.owner?.alive);
    if (values.json && values['dry-run']) return io.out(JSON.stringify({ wouldDelete: doomed.map((r) => r.runId) })), 0;
    if (doomed.length === 0) {
      if (!values.json) io.out(`nothing to prune: no ${statuses.join('/')} run started before ${new Date(before).toISOString()}`);
      else io.out(JSON.stringify({ deleted: [] }));
      return 0;
    }
    if (values['dry-run']) {
      for (const r of doomed) io.out(`${r.runId}  ${r.workflowId}  ${r.status}`);
      io.out(`would delete ${doomed.length} run(s)`);
      return 0;
    }
    if (!values.yes && !(io.isTTY && (await io.confirm(`Delete ${doomed.length} run(s) started before ${new Date(before).toISOString()}?`)))) {
      throw new CliError(io.isTTY ? 'nothing deleted' : `nothing deleted: ${doomed.length} run(s) match; pass --yes to delete without a terminal (or --dry-run to list them)`);
    }
    const deleted: string[] = [];
    for (const r of doomed) {
      try {
        store.delete(r.runId);
        deleted.push(r.runId);
      } catch (e) {
        io.err(`kept ${r.runId}: ${(e as Error).message}`);
      }
    }
    io.out(values.json ? JSON.stringify({ deleted }) : `deleted ${deleted.length} run(s)`);
    return deleted.length === doomed.length ? 0 : 1;
  },
});
