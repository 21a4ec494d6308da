import { createJsonlStore } from '../../history/jsonl-store.ts';
import { approveRun } from '../../operations/control.ts';
import { CliError, defineCommand } from '../command.ts';
import { databaseControl } from '../store-option.ts';
import { continueHere, describeOutcome, RESUME_HERE_OPTIONS, whoIs } from '../control-output.ts';

export default defineCommand({
  args: [
    { name: 'runId', help: 'the run (see `orchestai runs`)' },
    { name: 'step', help: 'the approval step waiting for a decision' },
  ],
  options: {
    reject: { help: 'refuse instead of approving (the step fails)' },
    by: { help: 'who decides; recorded in the history', value: 'name', defaultText: '$USER' },
    comment: { help: 'why; recorded in the history', value: 'text' },
    resume: { help: 'if no process holds the run, continue it here after recording the decision' },
    ...RESUME_HERE_OPTIONS,
    store: { help: 'a postgres:// store: the request is stored there and the hub holding the run applies it', value: 'url', defaultText: '$ORCHESTAI_STORE if a postgres:// URL, else $ORCHESTAI_HOME' },
  },
  help: 'The decision is recorded durably first. A live run applies it within a second; a run no process holds applies it when it resumes.',
  async run({ positionals, values, io }) {
    const [runId, step] = positionals;
    const remote = await databaseControl(values.store, io);
    if (remote) {
      if (values.resume) throw new CliError('--resume continues a run of the JSONL store here; on a postgres:// store a hub takes the run');
      const { control } = remote;
      const outcome = await control.approve(runId, step, { approved: !values.reject, by: whoIs(values.by, io), ...(values.comment ? { comment: values.comment } : {}) }).finally(() => remote.close());
      describeOutcome(io, runId, `${values.reject ? 'rejected' : 'approved'} ${step}`, outcome, Boolean(values.json));
      return 0;
    }
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    const outcome = await approveRun(store, runId, step, { approved: !values.reject, by: whoIs(values.by, io), ...(values.comment ? { comment: values.comment } : {}) });
    describeOutcome(io, runId, `${values.reject ? 'rejected' : 'approved'} ${step}`, outcome, Boolean(values.json));
    if (outcome.delivered === 'queued' && values.resume) return continueHere(runId, values, io);
    return 0;
  },
});
