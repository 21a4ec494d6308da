import { createJsonlStore } from '../../history/jsonl-store.ts';
import { approveRun } from '../../operations/control.ts';
import { defineCommand } from '../command.ts';
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
  },
  help: 'The decision is recorded durably first. A live run applies it within a second; a run no process holds applies it when it resumes.',
  async run({ positionals, values, io }) {
    const [runId, step] = positionals;
    const store = createJsonlStore(io.env.ORCHESTAI_HOME);
    const outcome = await approveRun(store, runId, step, { approved: !values.reject, by: whoIs(values.by, io), ...(values.comment ? { comment: values.comment } : {}) });
    describeOutcome(io, runId, `${values.reject ? 'rejected' : 'approved'} ${step}`, outcome, Boolean(values.json));
    if (outcome.delivered === 'queued' && values.resume) return continueHere(runId, values, io);
    return 0;
  },
});
