import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDagSvg } from '../../src/viz/dag.ts';

test('plan DAG: one box per node, one arrow per dependency, confidence shown', async () => {
  const svg = await renderDagSvg([
    { id: 'n1', label: 'read-file', dependsOn: [], confidence: 0.9 },
    { id: 'n2', label: 'extract-text', dependsOn: ['n1'] },
    { id: 'n3', label: 'summarise', dependsOn: ['n2'] },
    { id: 'n4', label: 'extract-figures', dependsOn: ['n2'] },
    { id: 'n5', label: 'render-deck', dependsOn: ['n3', 'n4'] },
  ]);
  assert.is((svg.match(/<g class="dag-node"/g) ?? []).length, 5);
  assert.is((svg.match(/class="dag-edge"/g) ?? []).length, 5);
  assert.ok(svg.includes('n1 · 90%'));
});

test('plan DAG: a dependency on an unknown node is an error naming both', async () => {
  let err: Error | undefined;
  try {
    await renderDagSvg([{ id: 'a', label: 'x', dependsOn: ['ghost'] }]);
  } catch (e) {
    err = e as Error;
  }
  assert.match(String(err?.message), /plan node "a": dependsOn names unknown node "ghost"/);
});

test.run();
