/**
 * Hand-written machine configs in the shape the compiler emits (steps as compound states with
 * `running` / `waiting` children, retry backoff via `after`, top-level finals), so the viewer
 * can be tested independently of the compiler.
 */
const step = (id: string, onSuccess: string, onFailure = '#shop.failed', maxAttempts = 3) => ({
  initial: 'running',
  states: {
    running: {
      entry: [{ type: 'startWorker', params: { step: id } }],
      on: {
        'step.succeeded': { target: `#shop.${onSuccess}` },
        'step.failed': [
          { target: 'waiting', guard: { type: 'canRetry', params: { maxAttempts } } },
          { target: onFailure },
        ],
      },
      after: { [`timeout_${id}`]: { target: onFailure } },
    },
    waiting: { after: { [`backoff_${id}`]: { target: 'running' } } },
  },
});

/** Graph form: fetch -> summarize -> publish, with retries and one approval. */
export const graphConfig = {
  id: 'shop',
  initial: 'fetch',
  context: {},
  states: {
    fetch: step('fetch', 'summarize'),
    summarize: step('summarize', 'approve', '#shop.failed', 2),
    approve: {
      initial: 'pending',
      states: {
        pending: {
          entry: [{ type: 'requestApproval', params: { step: 'approve' } }],
          on: {
            'approval.approved': { target: '#shop.publish' },
            'approval.rejected': { target: '#shop.rejected' },
          },
          after: { timeout_approve: { target: '#shop.failed' } },
        },
      },
    },
    publish: step('publish', 'succeeded'),
    succeeded: { type: 'final', meta: { status: 'succeeded' } },
    failed: { type: 'final', meta: { status: 'failed' } },
    rejected: { type: 'final', meta: { status: 'failed' } },
  },
  on: { 'run.cancel': { target: '.failed' } },
};

/** The states of `graphConfig`, counted by hand (root included). */
export const graphStateCount = 1 + 3 * 3 + 2 + 3 * 1 /* fetch/summarize/publish + children */ + 0;

/** DAG form: a parallel state with one region per step, joined before `report`. */
export const dagConfig = {
  id: 'etl',
  initial: 'work',
  states: {
    work: {
      type: 'parallel',
      states: Object.fromEntries(
        ['extract_a', 'extract_b'].map((s) => [
          s,
          {
            initial: 'running',
            states: {
              running: {
                entry: [{ type: 'startWorker', params: { step: s } }],
                on: { 'step.succeeded': 'done', 'step.failed': [{ target: 'waiting', guard: { type: 'canRetry', params: { maxAttempts: 3 } } }, { target: 'failed' }] },
              },
              waiting: { after: { [`backoff_${s}`]: 'running' } },
              done: { type: 'final' },
              failed: { type: 'final', meta: { status: 'failed' } },
            },
          },
        ]),
      ),
      onDone: 'report',
    },
    report: { entry: [{ type: 'startWorker', params: { step: 'report' } }], on: { 'step.succeeded': 'succeeded', 'fail.report': 'failed' } },
    succeeded: { type: 'final' },
    failed: { type: 'final', meta: { status: 'failed' } },
  },
};
