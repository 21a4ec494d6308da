import { describe, replay, stateAt } from '../../replay.ts';
import type { EventOf } from '../../../machines/history/events.ts';
import { CliError, defineCommand } from '../command.ts';
import { positiveInt } from '../options.ts';
import { loadHistory } from '../history-source.ts';
import { preview } from '../format.ts';
import { resolveRecordedWorkflow } from '../../project/resolve.ts';

/** The Stately inspector bridge, only for --inspect. */
const loadInspector = () => import('../../inspect/stately.ts');

export default defineCommand({
  args: [{ name: 'runId|file.jsonl', help: 'a run id (see `orchestai runs`) or the path of a history file' }],
  options: {
    until: { help: 'stop at this event number and show the state and context as of it', parse: positiveInt },
    workflow: { help: 'replay against this workflow instead of the one the history names (found through orchestai.config.ts)', value: 'name|module' },
    inspect: { help: 'show the replay in the Stately inspector' },
    store: { help: 'read the run from this store: a postgres:// URL or a JSONL folder', value: 'url|dir', defaultText: '$ORCHESTAI_STORE if a postgres:// URL, else $ORCHESTAI_HOME' },
  },
  async run({ positionals, values, io }) {
    if (!positionals[0]) throw new CliError('replay needs a run id or a history file');
    const { events, file } = await loadHistory(positionals[0], io, values.store);
    const started = events[0] as EventOf<'run.started'>;
    // Replay calls no worker: a run over an MCP server is checked with stand-ins, and no server is started.
    const { workflow } = await resolveRecordedWorkflow(started, { cwd: io.cwd, override: values.workflow, replayOnly: true });
    let inspector: { inspect: (e: any) => void; stop: () => void; flush?: (ms?: number) => Promise<boolean>; url?: string } | undefined;
    if (values.inspect) {
      inspector = await (await loadInspector()).createStatelyInspector();
      io.err(`Stately inspector: ${inspector!.url}`);
    }
    const t0 = performance.now();
    const opts = inspector ? { inspect: inspector.inspect } : {};
    const { until } = values;
    const result = until !== undefined ? stateAt(events, workflow, until, opts) : replay(events, workflow, opts);
    // The event the state is as of: N, or the last one when N is past the end. (`result.events`
    // counts the events checked, which run past N when the engine catches up on what event N caused.)
    const asOf = until === undefined ? undefined : Math.min(until, events.length);
    const elapsed = performance.now() - t0;
    if (inspector) {
      if ((await inspector.flush?.(5000)) === false) io.err('Stately inspector: no inspector connected within 5 s; nothing was shown there');
      inspector.stop();
    }
    const summary = {
      file,
      ok: result.ok,
      events: result.events,
      status: result.status,
      active: result.active,
      definitionChanged: result.definitionChanged,
      ...(result.divergence ? { divergence: result.divergence } : {}),
      ...(until !== undefined ? { until, asOf, context: result.context } : {}),
      ms: Math.round(elapsed * 100) / 100,
    };
    if (values.json) io.out(JSON.stringify(summary));
    else if (!result.ok) {
      io.out(`DIVERGENCE at event #${result.divergence!.seq}`);
      io.out(`  expected (recorded): ${result.divergence!.expected}`);
      io.out(`  actual (workflow now): ${result.divergence!.actual}`);
      if (result.definitionChanged) io.out('  the workflow definition changed since this run was recorded');
    } else if (asOf !== undefined) {
      io.out(`as of event #${asOf}${asOf < until! ? ` (the last; asked for ${until})` : ''}: ${result.active.join(', ') || '(not started)'}`);
      io.out(`event #${asOf}: ${describe(events[asOf - 1])}`);
      io.out(`outputs so far: ${Object.keys(result.context.outputs).join(', ') || '(none)'}`);
      io.out(`context: ${preview(result.context, 600)}`);
    } else {
      io.out(`no divergence: ${result.events} events replayed in ${elapsed.toFixed(1)} ms, status ${result.status}${result.definitionChanged ? ' (definition changed, same path)' : ''}`);
    }
    return result.ok ? 0 : 2;
  },
});
