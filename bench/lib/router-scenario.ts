import type { Json } from '../../transformers/types.ts';
import type { Router, Workflow } from '../../src/index.ts';
import type { RouterCatalog } from '../../planner/router/index.ts';

/**
 * A routing scenario for bench:router: a workflow whose steps have candidates, run inputs split
 * into training and held-out episodes, the catalog, and an oracle that knows every outcome.
 */
export interface RouterScenario {
  name: string;
  /** One line for the result file: where the outcomes come from. */
  source: string;
  workflow: Workflow;
  train: Json[];
  test: Json[];
  catalog: RouterCatalog;
  /** Each step's capability, for histories that do not name it. */
  capabilityOf: (workflowId: string, step: string) => string | undefined;
  /** Routes with hindsight: the cheapest candidate that gets this input right (the cheapest when none does). */
  oracle: Router;
  /** The cost unit, for the table and the plot. */
  costUnit: string;
}
