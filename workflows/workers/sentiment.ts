import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { words } from '../lib/text.ts';

/** Word valences from -3 (very negative) to +3 (very positive); our own small lexicon. */
const LEXICON: Record<string, number> = Object.fromEntries(
  (
    'excellent:3 outstanding:3 superb:3 wonderful:3 fantastic:3 amazing:3 brilliant:3 perfect:3 love:3 loved:3 loves:3 delightful:3 ' +
    'great:2 good:2 nice:2 happy:2 pleased:2 enjoy:2 enjoyed:2 enjoyable:2 like:1 liked:2 beautiful:2 lovely:2 impressive:2 ' +
    'friendly:2 helpful:2 useful:2 reliable:2 fast:1 quick:1 easy:2 clear:1 clean:1 fresh:1 tasty:2 delicious:3 comfortable:2 ' +
    'recommend:2 recommended:2 satisfied:2 success:2 successful:2 win:2 wins:2 improve:1 improved:2 improvement:2 better:1 best:3 ' +
    'glad:2 thanks:1 thank:1 grateful:2 welcome:1 warm:1 kind:2 fair:1 calm:1 safe:1 smooth:2 efficient:2 elegant:2 fun:2 ' +
    'accurate:2 robust:2 strong:1 gain:1 gains:1 benefit:2 benefits:2 advantage:2 valuable:2 effective:2 correct:1 solid:1 ' +
    'bad:-2 poor:-2 terrible:-3 awful:-3 horrible:-3 worst:-3 hate:-3 hated:-3 disappointing:-2 disappointed:-2 disappointment:-2 ' +
    'sad:-2 angry:-3 annoying:-2 annoyed:-2 slow:-1 broken:-2 bug:-1 bugs:-1 buggy:-2 crash:-2 crashes:-2 crashed:-2 fail:-2 ' +
    'failed:-2 fails:-2 failure:-2 problem:-1 problems:-1 issue:-1 issues:-1 wrong:-2 error:-1 errors:-1 difficult:-1 hard:-1 ' +
    'confusing:-2 confused:-2 expensive:-1 overpriced:-2 rude:-2 dirty:-2 cold:-1 stale:-2 bland:-1 boring:-2 ugly:-2 weak:-1 ' +
    'worse:-2 worried:-2 worry:-1 fear:-2 afraid:-2 unfortunately:-1 complaint:-2 complain:-2 waste:-2 wasted:-2 useless:-3 ' +
    'unreliable:-2 unhappy:-2 unpleasant:-2 inaccurate:-2 loss:-2 losses:-2 risk:-1 risky:-2 noisy:-1 late:-1 delay:-1 delayed:-1 ' +
    'missing:-1 lacks:-1 lacking:-1 flawed:-2 mediocre:-1 painful:-2 frustrating:-2 frustrated:-2 cancelled:-1 refund:-1'
  )
    .split(/\s+/)
    .map((p) => {
      const [w, v] = p.split(':');
      return [w, Number(v)];
    }),
);

const NEGATORS = new Set(['not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'hardly', 'barely', 'cannot', "isn't", "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't", "hasn't", "haven't", "hadn't", 'isnt', 'wasnt', 'dont', 'doesnt', 'didnt', 'cant', 'wont']);
const BOOSTERS: Record<string, number> = { very: 1.5, really: 1.4, extremely: 1.8, incredibly: 1.8, so: 1.3, too: 1.2, quite: 1.1, absolutely: 1.7, totally: 1.5, highly: 1.5, slightly: 0.6, somewhat: 0.7, barely: 0.5, fairly: 0.8 };
const NEGATION_WINDOW = 3;

/**
 * Lexicon sentiment with negation: each lexicon word adds its valence, scaled by a booster
 * right before it ("very good"), and flipped at half strength when one of the three words
 * before it negates ("not good" is mildly negative, not the opposite of "good"). After
 * "but", the clause counts 1.5x and what came before it 0.5x, since the last clause
 * carries the verdict. Each sentence's sum s maps into (-1, 1) by s / sqrt(s² + 15), and
 * the text's score is the mean over sentences that hold any sentiment word, so a long text
 * does not saturate; |score| < 0.05 is neutral.
 *
 * @example
 * analyseSentiment('The bread was not good.') // { score: -0.25, label: 'negative', ... }
 */
export function analyseSentiment(text: string) {
  let positive = 0;
  let negative = 0;
  const compounds: number[] = [];
  for (const sentence of text.split(/[.!?;\n]+/)) {
    const toks = words(sentence);
    const butAt = toks.lastIndexOf('but');
    let sum = 0;
    let hits = 0;
    toks.forEach((w, i) => {
      const base = LEXICON[w];
      if (base === undefined) return;
      let v = base;
      const prev = toks[i - 1];
      if (prev !== undefined && BOOSTERS[prev] !== undefined) v *= BOOSTERS[prev];
      const window = toks.slice(Math.max(0, i - NEGATION_WINDOW), i);
      if (window.some((t) => NEGATORS.has(t) || /n't$/.test(t))) v *= -0.5;
      if (butAt >= 0) v *= i > butAt ? 1.5 : 0.5;
      if (v > 0) positive++;
      else negative++;
      sum += v;
      hits++;
    });
    if (hits) compounds.push(sum / Math.sqrt(sum * sum + 15));
  }
  const mean = compounds.length ? compounds.reduce((a, b) => a + b, 0) / compounds.length : 0;
  const score = Math.round(mean * 1000) / 1000;
  const label = score >= 0.05 ? 'positive' : score <= -0.05 ? 'negative' : 'neutral';
  return { score, label, positive, negative } as const;
}

/**
 * Scores the sentiment of a text with a word lexicon and negation handling.
 *
 * @example
 * await sentimentWorker.run({ text: 'Great service, lovely staff!' }, ctx) // { sentiment: { score: 0.72, label: 'positive', positive: 2, negative: 0 } }
 */
export const sentimentWorker = defineWorker({
  name: 'sentiment',
  description: 'Scores the sentiment of a text (positive, negative or neutral, with a score from -1 to 1) using a word lexicon with negation and intensifier handling.',
  input: z.object({ text: z.string() }),
  output: z.object({
    sentiment: z.object({
      score: z.number().min(-1).max(1),
      label: z.enum(['positive', 'negative', 'neutral']),
      positive: z.number().int(),
      negative: z.number().int(),
    }),
  }),
  retry: { maxAttempts: 1 },
  run({ text }) {
    return { sentiment: analyseSentiment(text) };
  },
});
