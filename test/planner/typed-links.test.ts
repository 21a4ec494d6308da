import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCatalog } from '../../planner/catalog.ts';
import { relinkedByType } from '../../planner/decode/typed-links.ts';
import { loadEnsemble } from '../../planner/model/io.ts';
import { DEFAULT_MODEL_DIR } from '../../planner/default-model.ts';

// csv -> table -> chart -> report, and text -> mood -> report.
const catalog = parseCatalog({
  tools: [
    { name: 'table', description: 'parse csv', inputType: ['csv'], outputType: ['table'] },
    { name: 'chart', description: 'draw a chart', inputType: ['table'], outputType: ['chart'] },
    { name: 'mood', description: 'score the mood', inputType: ['text'], outputType: ['mood'] },
    { name: 'report', description: 'write a report', inputType: ['mood', 'table', 'chart'], outputType: ['report'] },
  ],
});

test('relinkedByType: the decoded steps keep their probabilities and get the links their types give', () => {
  // A report from a table alone: the model forgot the link; the types give it.
  const out = relinkedByType({ nodes: [{ tool: 0, prob: 0.9, deps: [] }, { tool: 3, prob: 0.8, deps: [] }], logProb: -0.3 }, catalog);
  assert.equal(out, { nodes: [{ tool: 0, prob: 0.9, deps: [] }, { tool: 3, prob: 0.8, deps: [0] }], logProb: -0.3 });
  // With a chart between them the table feeds the report only through it; a consumer decoded first moves after its producer.
  const chart = relinkedByType({ nodes: [{ tool: 3, prob: 0.7, deps: [] }, { tool: 0, prob: 0.9, deps: [] }, { tool: 1, prob: 0.8, deps: [1] }], logProb: -1 }, catalog);
  assert.equal(chart.nodes.map((n) => [n.tool, n.deps]), [[0, []], [1, [0]], [3, [1]]]);
  assert.equal(chart.nodes.map((n) => n.prob), [0.9, 0.8, 0.7]);
});

test('relinkedByType: an untyped catalog or a plan repeating a tool is left as decoded', () => {
  const repeated = { nodes: [{ tool: 0, prob: 1, deps: [] }, { tool: 0, prob: 1, deps: [0] }], logProb: 0 };
  assert.is(relinkedByType(repeated, catalog), repeated);
  const untyped = parseCatalog({ tools: [{ name: 'a', description: 'x' }, { name: 'b', description: 'y' }] });
  const plain = { nodes: [{ tool: 0, prob: 1, deps: [] }, { tool: 1, prob: 1, deps: [] }], logProb: 0 };
  assert.is(relinkedByType(plain, untyped), plain);
});

test('the shipped default model links by type: a table-only report takes the table straight from csv-stats', () => {
  const model = loadEnsemble(DEFAULT_MODEL_DIR);
  assert.is(model.decode.linkByType, true);
  const plan = model.plan('Stats of data/votes.csv as a table in a report, no chart.');
  const at = (w: string) => plan.nodes.findIndex((n) => n.worker === w);
  assert.ok(at('csv-stats') >= 0 && at('compose-report') >= 0, plan.nodes.map((n) => n.worker).join(' '));
  assert.ok(plan.nodes[at('compose-report')].dependsOn.includes(`n${at('csv-stats') + 1}`));
});

test.run();
