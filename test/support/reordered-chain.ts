import { defineWorkflow } from '../../machines/index.ts';
import { workflow as original } from './slow-chain.ts';

/** slow-chain with its first two steps swapped: replaying an old history against it must diverge. */
const [s0, s1, ...rest] = original.steps;
export const workflow = defineWorkflow({ id: 'slow-chain', onFailure: 'failed', steps: [s1, s0, ...rest].map((s) => ({ id: s.id, worker: s.worker! })) });
