/**
 * bench:scale, part (a), orchestai: a hub in this process drives `--runs` runs of a chain of
 * `--steps` no-op steps one after another, each event recorded in the PostgreSQL store at `--url`
 * (attempts run in the hub: this measures the durable engine, not the queue), and prints
 * `{ "engine": "orchestai", "perStepUs": [...] }`.
 */
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';
import { createPgStore } from '../../src/history/pg/pg-store.ts';
import { startHub } from '../../src/hub/hub.ts';
import { newRunId } from '../../src/run.ts';

const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=').slice(1).join('=');
const url = arg('url')!;
const STEPS = Number(arg('steps') ?? 100);
const RUNS = Number(arg('runs') ?? 5);

const noop = defineWorker({ name: 'noop', description: 'Returns its input.', input: z.object({ n: z.number() }), output: z.object({ n: z.number() }), run: async (x) => x });
const chain = defineWorkflow({ id: 'noop-chain', onFailure: 'failed', steps: Array.from({ length: STEPS }, (_, i) => ({ id: `s${i}`, worker: noop })) });

const store = await createPgStore(url, { schema: 'orchestai_bench' });
const hub = startHub({ store, workflows: [chain] });

/** Submits one run and resolves when its `run.finished` is in the store. */
async function runOnce(): Promise<number> {
  const id = newRunId();
  const t0 = process.hrtime.bigint();
  await store.submit(id, { workflowId: chain.id }, { n: 0 });
  // follow() reads what is already stored first, so nothing recorded before it is missed.
  await new Promise<void>((resolve) => {
    const stop = store.follow(id, 0, (e) => {
      if (e.type === 'run.finished') stop(), resolve();
    });
  });
  return Number(process.hrtime.bigint() - t0) / 1000 / STEPS;
}

await runOnce(); // warm-up
const perStepUs: number[] = [];
for (let r = 0; r < RUNS; r++) perStepUs.push(await runOnce());
await hub.stop();
await store.close();
process.stdout.write(JSON.stringify({ engine: 'orchestai', perStepUs }) + '\n');
