import type { Workflow } from '../../machines/definition.ts';
import { applyInput } from '../../transformers/apply.ts';
import { fromInput } from '../../transformers/input.ts';
import type { Json } from '../../transformers/types.ts';
import { replacedStrings, type Redactor } from './redact.ts';

const START_INPUT = fromInput();

const firsts = new WeakMap<Workflow, Workflow['steps']>();

/** The steps a run starts with (that read the run input), once per definition. */
function firstSteps(workflow: Workflow): Workflow['steps'] {
  let steps = firsts.get(workflow);
  if (!steps) {
    steps = workflow.steps.filter((s) => s.worker && (workflow.form === 'dag' ? s.dependsOn.length === 0 : s.id === workflow.start));
    firsts.set(workflow, steps);
  }
  return steps;
}

/**
 * The secret values a run's input carries into its first steps. `run.started` is written before
 * any step starts, so a secret that the first worker's schema marks (`apiKey:
 * z.string().meta({ secret: true })`) would reach the history in the run's input. The first steps'
 * input transformers are pure, so they are applied here, early, to find those values; the run's
 * redactor then replaces them wherever they appear, `run.started` included.
 *
 * @example
 * secretsOfRunInput(workflow, { apiKey: 'k-123', topic: 'x' }, redactor) // ['k-123']
 */
export function secretsOfRunInput(workflow: Workflow, input: Json, redactor: Redactor): string[] {
  const found = new Set<string>();
  for (const step of firstSteps(workflow)) {
    let computed: unknown;
    try {
      computed = applyInput(step.input ?? START_INPUT, { input, outputs: {}, shared: {} }, { id: step.id, dependsOn: [] });
    } catch {
      continue; // the run itself reports a transformer that fails
    }
    const redacted = redactor.redactEvent({ type: 'step.started', step: step.id, worker: step.worker!.name, attempt: 1, input: computed }).input;
    replacedStrings(computed, redacted, found);
  }
  return [...found];
}
