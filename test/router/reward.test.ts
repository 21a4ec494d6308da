import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cascade, episodesOf, runReward, stepReward } from '../../planner/router/index.ts';
import { decisionReturns, decisionRewards } from '../../planner/router/returns.ts';
import { pair, runAll, texts, twoSteps } from './support.ts';

test('the reward is the seeds\' R: 10 * success - 0.1 * cost - 0.01 * seconds + 0.1 per successful step', () => {
  assert.is(runReward({ success: true, cost: 2, latencyMs: 3000, stepsSucceeded: 3 }), 10 - 0.2 - 0.03 + 0.3);
  assert.is(runReward({ success: false, cost: 0, latencyMs: 0, stepsSucceeded: 0 }), 0);
  assert.is(stepReward(false, 1, 1000), -0.1 - 0.01);
});

test('per-decision rewards of a cascade\'s run add up to the run\'s reward, and returns are their tail sums', async () => {
  const { runs } = await runAll(twoSteps(pair(false)), texts(2), cascade());
  for (const ep of episodesOf(runs.map((r) => r.history))) {
    const rewards = decisionRewards(ep);
    const total = rewards.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - runReward(ep.outcome)) < 1e-9, `${total} vs ${runReward(ep.outcome)}`);
    const returns = decisionReturns(ep);
    assert.ok(Math.abs(returns[0] - total) < 1e-9);
    assert.ok(Math.abs(returns.at(-1)! - rewards.at(-1)!) < 1e-9);
  }
  const hard = episodesOf([runs[1].history])[0];
  assert.ok(decisionRewards(hard)[0] < 0, 'the cheap attempt that failed pays its cost and time and earns nothing');
});

test.run();
