/**
 * Records runs as a user's LLM fallback would leave them, to measure `train --general
 * --from-history`: the first N development requests of a catalog in GNN4TaskPlan layout (the
 * seed-42 shuffle that bench:planner-catalogs remembers from), each planned right (its gold plan,
 * marked as the fallback's) and run over no-op workers into a JSONL store.
 * Run: node --import tsx scripts/general/record-fallback-runs.ts <catalog dir> <store dir> [N=20]
 * then: orchestai train --general --catalog <catalog dir>/tool_desc.json --from-history <store dir> --out <model>
 *       orchestai eval --data <catalog dir> --model <model>
 */
import { z } from 'zod';
import { defineWorker } from '../../machines/index.ts';
import { run, createJsonlStore } from '../../src/index.ts';
import { compilePlan, planRunInput } from '../../planner/compile-plan.ts';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { shuffled } from '../../planner/data/split.ts';
import type { Example, Plan } from '../../planner/types.ts';

const [dir, out, n = '20'] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: record-fallback-runs.ts <catalog dir> <store dir> [N]');
const { catalog, examples, trainIds } = loadUltraTool(dir);
const byId = new Map(examples.map((e) => [e.id, e]));
const first = shuffled(trainIds, 42).slice(0, Number(n)).map((i) => byId.get(i)!);
const workers = catalog.tools.map((t) => defineWorker({ name: t.name, description: t.description, input: z.record(z.string(), z.any()), output: z.record(z.string(), z.any()), run: () => ({ ok: true }) }));
const store = createJsonlStore(out);

/** The gold plan of `e` as the fallback would have returned it. */
function fallbackPlan(e: Example): Plan {
  const id = (w: string) => `n${e.nodes.indexOf(w) + 1}`;
  const nodes = e.nodes.map((w) => ({ id: id(w), worker: w, dependsOn: e.links.filter((l) => l.target === w).map((l) => id(l.source)), confidence: 1 }));
  return { instruction: e.request, confidence: 0.9, lowConfidence: false, source: 'llm', nodes };
}

for (const e of first) {
  const plan = fallbackPlan(e);
  const r = await run(compilePlan(plan, workers), planRunInput(plan), { store, instruction: e.request });
  if (r.status !== 'succeeded') throw new Error(`${e.id}: ${r.status}`);
}
console.log(`recorded ${first.length} runs under ${out}`);
