import { defineWorkflow } from '../../machines/index.ts';

/** An approval nobody gives, timing out after 2.5 s: a timer that must survive its hub's death. */
export default defineWorkflow({
  id: 'times-out',
  onFailure: 'failed',
  steps: [{ id: 'sign-off', type: 'approval', timeoutMs: 2500, onSuccess: 'succeeded' }],
});
