import { compileWorkflow, type CompiledWorkflow, type Workflow } from '../machines/index.ts';

const cache = new WeakMap<Workflow, CompiledWorkflow>();

/**
 * Compiles a workflow once per definition object; runs and replays of the same
 * definition share the machine.
 *
 * @example
 * const { machine } = compiledOf(workflow);
 */
export function compiledOf(workflow: Workflow): CompiledWorkflow {
  let c = cache.get(workflow);
  if (!c) cache.set(workflow, (c = compileWorkflow(workflow)));
  return c;
}
