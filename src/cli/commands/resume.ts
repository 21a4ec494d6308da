import { resume } from '../../resume.ts';
import { createJsonlStore } from '../../history/jsonl-store.ts';
import { CliError, defineCommand } from '../command.ts';
import { ms, preview } from '../format.ts';
import { resolveRecordedWorkflow } from '../../project/resolve.ts';
import type { EventOf } from '../../../machines/history/events.ts';

export default defineCommand({
  args: [{ name: 'runId', help: 'the run to continue (see `orchestai runs`)' }],
  options: {
    workflow: { help: 'the workflow to continue it with, instead of the one its history names (found through orchestai.config.ts)', value: 'name|module' },
  },
  async run({ positionals, values, io }) {
    const runId = positionals[0];
    if (!runId) throw new CliError('resume needs a run id');
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    if (!store.exists(runId)) throw new CliError(`unknown run ${JSON.stringify(runId)} in ${store.root}`);
    const first = store.read(runId, { onWarning: () => {} })[0] as EventOf<'run.started'>;
    const { workflow } = await resolveRecordedWorkflow(first, { cwd: io.cwd, override: values.workflow });
    const result = await resume(runId, { workflow, store, onWarning: io.err });
    if (values.json) io.out(JSON.stringify({ runId, resumed: result.resumed, status: result.status, output: result.output, error: result.error, cost: result.cost, durationMs: result.durationMs }));
    else {
      io.out(result.resumed ? `resumed and ${result.status} in ${ms(result.durationMs)}` : `already finished: ${result.status}`);
      if (result.output !== undefined) io.out(`output: ${preview(result.output, 400)}`);
      if (result.error) io.out(`error: ${result.error.name}: ${result.error.message}`);
    }
    return result.status === 'succeeded' ? 0 : 1;
  },
});
