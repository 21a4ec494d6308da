import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { finishPlan } from '../../planner/index.ts';
import { defaultCatalog } from '../../planner/default-model.ts';
import type { Plan } from '../../planner/types.ts';

const catalog = defaultCatalog();
const workers = catalog.tools.map((t) => t.name);

/** Pieces of instructions that carry inputs, decline steps or forward a request, joined at random. */
const PIECES = [
  'Summarise docs/q3.md', 'Bar chart of data/sales.csv', 'is this rude? "ok whatever, do what you want"', 'no chart', 'skip figures',
  'Not slides, just the summary', "don't summarise it", 'Fwd: "Can I get the gist of notes/minutes.md?"', 'a picture, not a table',
  'html please: "# Title\n- a"', 'build a site for my bakery', 'no report needed', 'keywords and the tone',
];

/** A random plan over the built-in catalog: node i may depend on any earlier node. */
const planArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    workers: fc.array(fc.constantFrom(...workers), { minLength: n, maxLength: n }),
    deps: fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j), { maxLength: Math.min(3, i) }))),
    pieces: fc.subarray(PIECES, { minLength: 1, maxLength: 4 }),
  }),
);

const asPlan = (ws: string[], deps: number[][]): Plan => ({
  instruction: 'x',
  nodes: ws.map((worker, i) => ({ id: `n${i + 1}`, worker, dependsOn: deps[i].map((j) => `n${j + 1}`), confidence: 0.9 })),
  confidence: 0.9,
  lowConfidence: false,
  source: 'model',
});

const sorted = (xs: readonly string[]) => [...xs].sort();

test('finishing a random plan: a non-empty DAG of its own steps with no dangling link, every step dropped named, the same twice', () => {
  fc.assert(
    fc.property(planArb, ({ workers: ws, deps, pieces }) => {
      const plan = asPlan(ws, deps);
      const instruction = pieces.join('. ');
      const done = finishPlan(plan, instruction, catalog);
      const ids = done.plan.nodes.map((n) => n.id);
      assert.ok(done.plan.nodes.length > 0, 'a plan is never emptied');
      assert.equal(ids, ids.map((_, i) => `n${i + 1}`), 'ids close up');
      done.plan.nodes.forEach((n, i) => {
        for (const d of n.dependsOn) assert.ok(ids.indexOf(d) >= 0 && ids.indexOf(d) < i, `${n.id} depends on ${d}, an earlier step of the plan`);
      });
      // Each step of the plan is kept, declined, idle (it fed only declined steps) or unreachable (a worker planned twice may be both kept and named).
      const kept = done.plan.nodes.map((n) => n.worker);
      for (const w of ws) assert.ok(kept.includes(w) || done.declined.includes(w) || done.idle.includes(w) || done.unreachable.includes(w), `${w} vanished without a word`);
      assert.ok(sorted(kept).every((w) => ws.includes(w)), 'no step is added');
      assert.equal(finishPlan(plan, instruction, catalog), done, 'deterministic');
    }),
    { numRuns: 400, seed: 18 },
  );
});

test.run();
