import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { adaptWithExamples, catalogView, createGeneralPlanner, loadGeneralModel } from '../../planner/general/index.ts';
import { shuffled } from '../../planner/data/split.ts';
import { evaluate } from '../../planner/eval.ts';

/**
 * The catalogs no model trained on (fixtures/planner/catalogs, see its SOURCE.md): each loads as
 * GNN4TaskPlan's layout, its requests are chains along its graph, the halves are as documented,
 * and the shipped general model plans every request with the catalog's own tools.
 */

const DIR = fileURLToPath(new URL('../../fixtures/planner/catalogs', import.meta.url));
const folders = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

test('the three catalogs are there', () => {
  assert.equal(folders, ['devops', 'school', 'shop']);
});

for (const name of folders) {
  const data = loadUltraTool(join(DIR, name));
  const graph = new Set(data.catalog.links.map((l) => `${l.source}>${l.target}`));

  test(`${name}: 140 requests, half of them scored, every hand-off a graph link between consecutive steps`, () => {
    assert.is(data.examples.length, 140);
    assert.is(data.testIds.length, 70);
    assert.is(data.trainIds.length, 70);
    for (const e of data.examples) {
      const chain = e.nodes.slice(1).map((t, k) => `${e.nodes[k]}>${t}`);
      assert.equal(e.links.map((l) => `${l.source}>${l.target}`), chain, e.id);
      for (const link of chain) assert.ok(graph.has(link), `${e.id}: ${link} is not in the graph`);
      assert.is(new Set(e.nodes).size, e.nodes.length, `${e.id} repeats a tool`);
    }
  });

  test(`${name}: the shipped general model plans each request with the catalog's tools, or says which clause none does`, () => {
    const tools = new Set(data.catalog.tools.map((t) => t.name));
    const planner = createGeneralPlanner(loadGeneralModel(), data.catalog);
    for (const e of data.examples) {
      const plan = planner.plan(e.request);
      if (plan.nodes.length === 0) assert.ok(plan.unmatched.length > 0 && plan.lowConfidence, `${e.id}: an empty plan names the clause no tool does`);
      for (const n of plan.nodes) assert.ok(tools.has(n.worker), `${e.id}: ${n.worker}`);
    }
  });
}

test('shop with no graph (like a tool list whose parameters match no output): 20 remembered requests refit the weights without losing the plans', () => {
  // The refit once diverged here (every graph feature one far value) and planned NF 0.8.
  const data = loadUltraTool(join(DIR, 'shop'));
  const catalog = { ...data.catalog, links: [] };
  const scored = new Set(data.testIds);
  const dev = shuffled(data.examples.filter((e) => !scored.has(e.id)), 42);
  const adapted = createGeneralPlanner(adaptWithExamples(loadGeneralModel(), dev.slice(0, 20), catalog), catalog);
  const nf = evaluate((s) => adapted.plan(s), dev.slice(20), catalog).nodeF1;
  assert.ok(nf > 0.55, `node F1 ${nf.toFixed(3)} on the other 50 development requests (zero-shot without the graph: 0.54 on all 70)`);
});

test('devops with half its tools unlinked: those tools are open, not unreachable, and the plans hold up', () => {
  const data = loadUltraTool(join(DIR, 'devops'));
  const kept = new Set(shuffled(data.catalog.tools.map((t) => t.name), 7).slice(0, data.catalog.tools.length / 2));
  const catalog = { ...data.catalog, links: data.catalog.links.filter((l) => kept.has(l.source) && kept.has(l.target)) };
  const view = catalogView(catalog);
  const unlinked = data.catalog.tools.map((t) => t.name).filter((n) => !catalog.links.some((l) => l.source === n || l.target === n));
  assert.ok(unlinked.length >= 0.2 * data.catalog.tools.length);
  for (const n of unlinked) assert.is(view.feeds[view.position.get(n)!].length, data.catalog.tools.length - 1, `${n} may feed every other tool`);
  // A few unlinked tools (under a fifth of the catalog) are ones that do not chain, and stay unlinked.
  const few = new Set(unlinked.slice(0, 3));
  const mostly = catalogView({ ...data.catalog, links: data.catalog.links.filter((l) => !few.has(l.source) && !few.has(l.target)) });
  for (const n of few) assert.is(mostly.feeds[mostly.position.get(n)!].length + mostly.fedBy[mostly.position.get(n)!].length, 0, `${n} stays unlinked`);
  const scored = new Set(data.testIds);
  const dev = data.examples.filter((e) => !scored.has(e.id));
  const planner = createGeneralPlanner(loadGeneralModel(), catalog);
  // Scored as linked to nothing, the unlinked tools lost to every linked one: NF 0.356 (0.517 with no graph at all).
  const nf = evaluate((s) => planner.plan(s), dev, data.catalog).nodeF1;
  assert.ok(nf > 0.55, `node F1 ${nf.toFixed(3)} on the development half`);
});

test.run();
