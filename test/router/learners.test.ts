import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogOf, createPpo, linUcb } from '../../planner/router/index.ts';
import { pair, request, runAll, texts, twoSteps } from './support.ts';

const catalog = catalogOf([{ capability: 'answer', candidates: ['cheap', 'dear'] }]);

async function trainPpo(seed: number, cheapAlways: boolean, episodes: number) {
  const ppo = await createPpo({ catalog, seed, training: true, batchEpisodes: 20, update: { epochs: 8, lr: 1e-2 } });
  await runAll(twoSteps(pair(cheapAlways)), texts(episodes), ppo);
  ppo.training = false;
  return ppo;
}

test('PPO learns, through the real engine, to prefer the candidate that always succeeds cheaply', async () => {
  const ppo = await trainPpo(3, true, 160);
  assert.is(ppo.version, '9', 'one update per 20 finished runs, each bumping the version');
  const { runs } = await runAll(twoSteps(pair(true)), texts(10), ppo);
  const workers = runs.flatMap((r) => r.history.filter((e: any) => e.type === 'route.decided').map((e: any) => e.worker));
  assert.equal([...new Set(workers)], ['cheap']);
  assert.ok(runs.every((r) => r.status === 'succeeded'));
});

test('PPO training is deterministic under a seed: the same weights twice, other weights for another seed', async () => {
  const a = await trainPpo(5, false, 40);
  const b = await trainPpo(5, false, 40);
  const c = await trainPpo(6, false, 40);
  assert.is(a.hash(), b.hash());
  assert.is.not(a.hash(), c.hash());
});

test('PPO records the probabilities it acted with: epsilon-greedy mixture while training, one-hot when greedy', async () => {
  const ppo = await createPpo({ catalog, seed: 1, training: true, epsilon: 0.2 });
  const req = request({ candidates: [{ worker: 'cheap' }, { worker: 'dear' }] });
  const p = ppo.route(req).probabilities!;
  assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-5 && p.every((x) => x >= 0.1 - 1e-6));
  ppo.training = false;
  assert.equal([...ppo.route(req).probabilities!].sort(), [0, 1]);
});

test('the bandit learns from finished runs to send easy texts to the cheap candidate and hard ones to the dear one', async () => {
  const bandit = linUcb({ catalog, epsilon: 0.2, seed: 2 });
  await runAll(twoSteps(pair(false), 1), texts(120), bandit);
  bandit.epsilon = 0;
  const pick = (text: string) => bandit.route(request({ candidates: [{ worker: 'cheap' }, { worker: 'dear' }], input: { text } })).worker;
  assert.is(pick('easy question about the garden'), 'cheap');
  assert.is(pick('hard question about the garden'), 'dear');
});

test('a request for an unknown capability or candidate is refused in one line naming the step', async () => {
  const ppo = await createPpo({ catalog, seed: 1 });
  assert.throws(() => ppo.route(request({ capability: 'draw' })), /step "read" of workflow "wf" has capability "draw", which the policy was not trained on/);
  assert.throws(() => ppo.route(request({ candidates: [{ worker: 'cheap' }, { worker: 'other' }] })), /offers candidate "other" for "answer"/);
});

test.run();
