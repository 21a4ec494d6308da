import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requireServices } from '../support/services.ts';
import { runChaos } from './driver.ts';

// The short form of `npm run test:chaos`, in every CI run: fewer runs, a worker killed every second
// (so a fast machine still sees kills before the runs end), each hub once, the same checks.
const it = requireServices(test, ['postgres', 'redis']);

it('runs over 2 hubs and 3 workers survive SIGKILLs: all final, no completed step started again, no event lost, no divergence', async () => {
  const r = await runChaos({ runs: 150, hubs: 2, workers: 3, killEveryMs: 1000, leaseMs: 1500, concurrency: 20, timeoutMs: 120_000 });
  assert.is(r.kills.hubs, 2, 'each hub killed once');
  assert.ok(r.kills.workers >= 1, `workers killed: ${r.kills.workers}`);
  assert.is(r.final, r.runs, `final runs: ${r.final} of ${r.runs}`);
  assert.is(r.rerunCompletedSteps, 0);
  assert.is(r.lostEvents, 0);
  assert.is(r.divergences, 0);
  assert.ok(r.succeeded > r.runs * 0.9, `succeeded: ${r.succeeded}`); // a run fails only if one step fails 4 attempts in a row
});

test.run();
