import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replay } from '../../src/index.ts';
import {
  cascade, catalogOf, continuousLearner, createPpo, episodesOf, loadPolicy, observedByPolicy, offPolicyEstimate, random, savePolicy, trainFromHistories,
} from '../../planner/router/index.ts';
import { pair, request, runAll, texts, twoSteps } from './support.ts';

async function rejects(fn: () => Promise<unknown>, re: RegExp) {
  try { await fn(); } catch (e) { assert.match((e as Error).message, re); return; }
  assert.unreachable('expected a rejection');
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-router-'));
const workflow = twoSteps(pair(false));

test('episodes read back from run() histories: rebuilt requests, outcomes, recorded probabilities', async () => {
  const { runs } = await runAll(workflow, texts(2), cascade());
  const [easy, hard] = episodesOf(runs.map((r) => r.history));
  assert.equal(easy.decisions.map((d) => [d.request.step, d.worker, d.success]), [['read', 'cheap', true], ['write', 'cheap', true]]);
  assert.equal(hard.decisions.map((d) => [d.request.step, d.request.attempt, d.worker, d.success]), [['read', 1, 'cheap', false], ['read', 2, 'dear', true], ['write', 1, 'cheap', false], ['write', 2, 'dear', true]]);
  assert.equal(hard.decisions[1].request.failedWorkers, ['cheap']);
  assert.equal(hard.decisions[2].request.position, 1);
  assert.equal(hard.decisions[0].request.input, { text: texts(2)[1] });
  assert.equal(hard.decisions[0].probabilities, [1, 0]);
  assert.ok(hard.outcome.success && hard.outcome.cost === 42, `cost ${hard.outcome.cost}: two cheap failures (1 each) and two dear successes (20 each)`);
});

test('trainFromHistories (PPO): warm start from the best observed candidate + off-policy correction beats the logging policy', async () => {
  const { runs } = await runAll(workflow, texts(120), random(11));
  const episodes = episodesOf(runs.map((r) => r.history), { capabilityOf: () => 'answer' });
  const ppo = await trainFromHistories(runs.map((r) => r.history), { kind: 'ppo', seed: 4, capabilityOf: () => 'answer' });
  assert.is(ppo.version, '1');
  const pick = (text: string) => ppo.route(request({ candidates: [{ worker: 'cheap' }, { worker: 'dear' }], input: { text } })).worker;
  assert.is(pick('easy question about the river'), 'cheap');
  assert.is(pick('hard question about the river'), 'dear');
  const logged = observedByPolicy(episodes)[0];
  const estimate = offPolicyEstimate(ppo, episodes);
  assert.is(logged.policy, 'random@11');
  assert.ok(estimate.reward > logged.reward, `estimated ${estimate.reward} > logged ${logged.reward}`);
  assert.ok(estimate.effectiveRuns! > 3);
  const live = await runAll(workflow, texts(10), ppo);
  assert.ok(live.runs.every((r) => r.status === 'succeeded'));
});

test('trainFromHistories (bandit) learns the same contexts from a cascade\'s histories', async () => {
  const { runs } = await runAll(workflow, texts(40), cascade());
  const bandit = await trainFromHistories(runs.map((r) => r.history), { kind: 'bandit', capabilityOf: () => 'answer' });
  const pick = (text: string) => bandit.route(request({ candidates: [{ worker: 'cheap' }, { worker: 'dear' }], input: { text } })).worker;
  assert.is(pick('easy question about the ticket'), 'cheap');
  assert.is(pick('hard question about the ticket'), 'dear');
});

test('a policy file round-trips, is refused against another catalog, and a run it routed replays with the file deleted', async () => {
  const dir = tmp();
  const file = path.join(dir, 'policy.json');
  const ppo = await createPpo({ catalog: catalogOf([{ capability: 'answer', candidates: ['cheap', 'dear'] }]), seed: 9 });
  await savePolicy(ppo, file);
  const loaded = await loadPolicy(file, { catalog: ppo.catalog });
  assert.is((loaded as typeof ppo).hash(), ppo.hash());
  await rejects(() => loadPolicy(file, { catalog: catalogOf([{ capability: 'answer', candidates: ['cheap', 'dear', 'huge'] }]) }), /policy\.json: trained on candidates .*; retrain it/);
  fs.writeFileSync(path.join(dir, 'bad.json'), '{"format":"other"}');
  await rejects(() => loadPolicy(path.join(dir, 'bad.json')), /bad\.json: not an orchestai route policy/);
  const { runs } = await runAll(workflow, texts(40), loaded);
  assert.is((loaded as typeof ppo).hash(), ppo.hash(), 'a loaded policy routes but does not learn from the runs it is told about');
  assert.is(loaded.version, '1');
  fs.rmSync(file);
  const r = replay(runs[0].history as any, workflow);
  assert.is(r.divergence, undefined);
  assert.ok(runs[0].history.some((e: any) => e.type === 'route.decided' && e.policy === 'ppo'));
});

test('continuousLearner updates after every N finished runs and bumps the version', async () => {
  const ppo = await createPpo({ catalog: catalogOf([{ capability: 'answer', candidates: ['cheap', 'dear'] }]), seed: 2 });
  const learner = continuousLearner(ppo, { every: 5 });
  const before = ppo.hash();
  await runAll(workflow, texts(4), learner);
  assert.is(learner.version, '1');
  await runAll(workflow, texts(5), learner);
  assert.is(learner.version, '2', 'one update at the 5th run; runs 6 to 9 are buffered');
  assert.is.not(ppo.hash(), before);
});

test.run();
