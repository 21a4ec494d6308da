import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePlan } from '../../planner/index.ts';
import { defaultCatalog } from '../../workflows/catalog.ts';
import { planView } from '../../src/ui/plan.ts';

/**
 * The planner panel's drawing, with the planning step replaced by a fixed plan over the default
 * catalog (the trained model is not needed to check how a plan is drawn and compiled).
 */
const plan = {
  instruction: 'Summarise report.md and chart its figures',
  confidence: 0.9,
  lowConfidence: false,
  source: 'model' as const,
  nodes: [
    { id: 'n1', worker: 'read-file', dependsOn: [], confidence: 0.95 },
    { id: 'n2', worker: 'extract-text', dependsOn: ['n1'], confidence: 0.9 },
    { id: 'n3', worker: 'summarise', dependsOn: ['n2'], confidence: 0.9 },
    { id: 'n4', worker: 'extract-figures', dependsOn: ['n2'], confidence: 0.8 },
  ],
};

test('planView: the DAG has a box per plan node; the statechart has a region per step', async () => {
  const planner = { planWithDetails: async () => ({ plan, outcome: { status: 'not-needed' }, catalog: defaultCatalog }), compilePlan };
  const view = await planView(planner, plan.instruction);
  assert.is((view.dagSvg.match(/<g class="dag-node"/g) ?? []).length, 4);
  assert.is((view.dagSvg.match(/class="dag-edge"/g) ?? []).length, 3);
  const regions = (view.chartSvg.match(/<g class="state kind-compound region"/g) ?? []).length;
  assert.is(regions, 4);
  assert.ok(view.chartSvg.includes('data-path="dag"'));
  assert.equal(view.fallback, { status: 'not-needed' });
});

test.run();
