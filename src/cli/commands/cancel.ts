import { createJsonlStore } from '../../history/jsonl-store.ts';
import { cancelRun } from '../../operations/control.ts';
import { CliError, defineCommand } from '../command.ts';
import { databaseControl } from '../store-option.ts';
import { continueHere, describeOutcome, RESUME_HERE_OPTIONS, whoIs } from '../control-output.ts';

export default defineCommand({
  args: [{ name: 'runId', help: 'the run to cancel (see `orchestai runs`)' }],
  options: {
    reason: { help: 'why; recorded in the history', value: 'text' },
    by: { help: 'who cancels; recorded in the history', value: 'name', defaultText: '$USER' },
    resume: { help: 'if no process holds the run, end it here now (it resumes only to record the cancellation)' },
    ...RESUME_HERE_OPTIONS,
    store: { help: 'a postgres:// store: the request is stored there and the hub holding the run applies it', value: 'url', defaultText: '$ORCHESTAI_STORE if a postgres:// URL, else $ORCHESTAI_HOME' },
  },
  help: 'The request is recorded durably first. A live run ends as cancelled within a second; a run no process holds is cancelled when it resumes.',
  async run({ positionals, values, io }) {
    const [runId] = positionals;
    const remote = await databaseControl(values.store, io);
    if (remote) {
      if (values.resume) throw new CliError('--resume continues a run of the JSONL store here; on a postgres:// store a hub takes the run');
      const { control } = remote;
      const outcome = await control.cancel(runId, { ...(values.reason ? { reason: values.reason } : {}), by: whoIs(values.by, io) }).finally(() => remote.close());
      describeOutcome(io, runId, 'cancel', outcome, Boolean(values.json));
      return 0;
    }
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    const outcome = await cancelRun(store, runId, { ...(values.reason ? { reason: values.reason } : {}), by: whoIs(values.by, io) });
    describeOutcome(io, runId, 'cancel', outcome, Boolean(values.json));
    if (outcome.delivered === 'queued' && values.resume) return continueHere(runId, values, io);
    return 0;
  },
});
