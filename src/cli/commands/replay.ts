import { replay, stateAt } from '../../replay.ts';
import type { EventOf } from '../../../machines/history/events.ts';
import { CliError, defineCommand } from '../command.ts';
import { loadHistory } from '../history-source.ts';
import { preview } from '../format.ts';
import { resolveRecordedWorkflow } from '../../project/resolve.ts';

/** The Stately inspector bridge, only for --inspect. */
const loadInspector = () => import('../../inspect/stately.ts');

export default defineCommand({
  name: 'replay',
  summary: 'Replay a recorded run against its workflow (no worker runs) and report any divergence; --until N shows the state as of event N.',
  usage: 'replay <runId|file.jsonl> [--until N] [--workflow <name|module>] [--inspect] [--json]',
  options: { until: { type: 'string' }, workflow: { type: 'string' }, inspect: { type: 'boolean' } },
  async run({ positionals, values, io }) {
    if (!positionals[0]) throw new CliError('replay needs a run id or a history file');
    const { events, file } = loadHistory(positionals[0], io);
    const started = events[0] as EventOf<'run.started'>;
    const { workflow } = await resolveRecordedWorkflow(started, { cwd: io.cwd, override: values.workflow });
    let inspector: { inspect: (e: any) => void; stop: () => void; flush?: (ms?: number) => Promise<boolean>; url?: string } | undefined;
    if (values.inspect) {
      inspector = await (await loadInspector()).createStatelyInspector();
      io.err(`Stately inspector: ${inspector!.url}`);
    }
    const t0 = performance.now();
    const opts = inspector ? { inspect: inspector.inspect } : {};
    const result = values.until ? stateAt(events, workflow, Number(values.until), opts) : replay(events, workflow, opts);
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
      ...(values.until ? { context: result.context } : {}),
      ms: Math.round(elapsed * 100) / 100,
    };
    if (values.json) io.out(JSON.stringify(summary));
    else if (!result.ok) {
      io.out(`DIVERGENCE at event #${result.divergence!.seq}`);
      io.out(`  expected (recorded): ${result.divergence!.expected}`);
      io.out(`  actual (workflow now): ${result.divergence!.actual}`);
      if (result.definitionChanged) io.out('  the workflow definition changed since this run was recorded');
    } else if (values.until) {
      io.out(`as of event #${result.events}: ${result.active.join(', ') || '(not started)'}`);
      io.out(`outputs so far: ${Object.keys(result.context.outputs).join(', ') || '(none)'}`);
      io.out(`context: ${preview(result.context, 600)}`);
    } else {
      io.out(`no divergence: ${result.events} events replayed in ${elapsed.toFixed(1)} ms, status ${result.status}${result.definitionChanged ? ' (definition changed, same path)' : ''}`);
    }
    return result.ok ? 0 : 2;
  },
});
