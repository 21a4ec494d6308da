/**
 * npm run test:chaos — the full chaos suite: 1,000 runs of a 6-step DAG over 2 hub and 3 worker
 * processes on a real PostgreSQL and Redis, a random worker killed with SIGKILL every 2 s and each
 * hub once. Exits 1 unless every run is final with 0 completed steps started again, 0 events lost
 * and 0 divergences. Writes the figures to bench/results/scale.json (beside bench:scale's "bench").
 *
 *   npm run test:chaos [-- --runs=1000]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChaos } from './driver.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'bench/results/scale.json');
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 1000);

const report = await runChaos({ runs, hubs: 2, workers: 3, killEveryMs: 2000, leaseMs: 2000, concurrency: 40, timeoutMs: 20 * 60_000, log: (l) => console.error(l) });
console.log(JSON.stringify(report, null, 2));
const prior = fs.existsSync(OUT) ? JSON.parse(fs.readFileSync(OUT, 'utf8')) : {};
const { runs: r, final, rerunCompletedSteps, lostEvents, divergences, kills, ...more } = report;
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify({ runs: r, final, rerunCompletedSteps, lostEvents, divergences, kills, ...more, bench: prior.bench }, null, 2) + '\n');
const ok = final === r && rerunCompletedSteps === 0 && lostEvents === 0 && divergences === 0 && kills.hubs === 2 && kills.workers > 0;
console.log(ok ? 'chaos: passed' : 'chaos: FAILED');
process.exit(ok ? 0 : 1);
