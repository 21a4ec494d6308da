/**
 * Routing policies: which candidate worker runs a step, learned from run histories. Every policy is
 * a `Router` (machines/routing.ts) for `run(workflow, input, { router })`.
 */
export { fixed } from './fixed.ts';
export { cheapest } from './cheapest.ts';
export { random } from './random.ts';
export { cascade } from './cascade.ts';
export { mostAccurate } from './most-accurate.ts';
export { linUcb, type BanditRouter, type BanditOptions } from './bandit.ts';
export { createPpo, type PpoRouter, type PpoOptions } from './ppo.ts';
export { savePolicy, loadPolicy, PolicyFileError, type PolicyFile } from './policy-file.ts';
export { trainFromHistories, continuousLearner, catalogOfEpisodes, type TrainFromHistoriesOptions } from './learn.ts';
export { episodeOf, episodesOf, type Episode, type RoutedAttempt } from './episodes.ts';
export { candidateStats, successRate, type CandidateStats } from './stats.ts';
export { observedByPolicy, offPolicyEstimate, type PolicySummary } from './evaluate.ts';
export { catalogOf, CatalogMismatchError, type RouterCatalog } from './catalog.ts';
export { runReward, stepReward, DEFAULT_REWARD, type RewardWeights, type RunOutcome } from './reward.ts';
export { expectedCost } from './price.ts';
