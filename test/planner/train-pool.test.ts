import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TrainPool } from '../../planner/parallel/train-pool.ts';
import { syntheticCatalog, syntheticExamples } from '../../planner/data/synthetic.ts';
import type { FeatureConfig } from '../../planner/encode/features.ts';

const SMALL: FeatureConfig = { dim: 1024, wordBigrams: false, charNgrams: [3], charWeight: 0.5 };
const catalog = syntheticCatalog();
const examples = syntheticExamples(40, 5);

test('TrainPool: a job that fails in its worker rejects with the training error; the pool keeps working', async () => {
  const pool = new TrainPool(1);
  try {
    const bad = [{ ...examples[0], id: 'x1', nodes: ['no-such-worker'] }];
    await pool.train(bad, catalog, { features: SMALL, hidden: 8, epochs: 1 }).then(
      () => assert.unreachable('should have failed'),
      (e: Error) => assert.match(e.message, /example "x1" uses worker "no-such-worker", which is not in the catalog/),
    );
    const epochs: number[] = [];
    const { model, seconds } = await pool.train(examples, catalog, { features: SMALL, hidden: 8, epochs: 2, onEpoch: (i) => epochs.push(i.epoch) });
    assert.equal(epochs, [1, 2], 'epoch reports cross the thread');
    assert.ok(seconds > 0);
    assert.ok(model.plan(examples[0].request).nodes.length >= 1);
  } finally {
    await pool.close();
  }
});

test('TrainPool: closing rejects queued jobs; a closed pool takes no work; size is checked', async () => {
  const pool = new TrainPool(1);
  const running = pool.train(examples, catalog, { features: SMALL, hidden: 8, epochs: 1 });
  const queued = pool.train(examples, catalog, { features: SMALL, hidden: 8, epochs: 1 });
  const settled = Promise.allSettled([running, queued]);
  await pool.close();
  const [r, q] = await settled;
  assert.ok(r.status === 'rejected' && /closed while the job ran/.test(r.reason.message), 'the running job is stopped');
  assert.ok(q.status === 'rejected' && /closed before the job ran/.test(q.reason.message), 'the queued job never runs');
  await pool.train(examples, catalog).then(() => assert.unreachable('closed pool took work'), (e: Error) => assert.match(e.message, /closed/));
  assert.throws(() => new TrainPool(0), /size must be a positive integer, got 0/);
});

test.run();
