/**
 * bench:scale, part (a), the peer: DBOS Transact runs `--runs` workflows of `--steps` no-op steps
 * one after another on the PostgreSQL at `--url` (its system database `orchestai_bench_dbos`), and
 * prints `{ "engine": "dbos", "perStepUs": [...] }` (one figure per run). Run by bench/scale.ts in
 * its own process, since DBOS keeps global state.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';

const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=').slice(1).join('=');
const url = arg('url')!;
const STEPS = Number(arg('steps') ?? 100);
const RUNS = Number(arg('runs') ?? 5);

const noop = async () => 0;
const chain = DBOS.registerWorkflow(
  async function chain(): Promise<number> {
    let n = 0;
    for (let i = 0; i < STEPS; i++) n += await DBOS.runStep(noop, { name: `s${i}` });
    return n;
  },
  { name: 'chain' },
);

const dbUrl = new URL(url);
dbUrl.pathname = '/orchestai_bench_dbos';
DBOS.setConfig({ name: 'orchestai-bench', systemDatabaseUrl: dbUrl.toString() });
await DBOS.launch();
const perStepUs: number[] = [];
await chain(); // warm-up: connections, prepared statements
for (let r = 0; r < RUNS; r++) {
  const t0 = process.hrtime.bigint();
  await chain();
  perStepUs.push(Number(process.hrtime.bigint() - t0) / 1000 / STEPS);
}
await DBOS.shutdown();
process.stdout.write(JSON.stringify({ engine: 'dbos', perStepUs }) + '\n');
