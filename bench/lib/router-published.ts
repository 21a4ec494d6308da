/**
 * Scenario `published` of bench:router: the accuracy of a strong and a weak model per task family,
 * as published by RouteLLM, drives simulated workers on the real engine.
 *
 * Source of the figures: RouteLLM (Ong et al., "RouteLLM: Learning to Route LLMs with Preference
 * Data", arXiv 2406.18665, 2024) released its evaluation outcomes with the code: per question,
 * whether gpt-4-1106-preview (strong) and Mixtral-8x7B-Instruct-v0.1 (weak) answered correctly,
 * in github.com/lm-sys/RouteLLM, routellm/evals/ (commit 0b64fdafe049e596a3f5657c219329f24af24198).
 * We counted the four joint outcomes per family from those files (counts below; no data is copied):
 *
 *   family    files                                                       n     both  strong only  weak only  neither  weak acc  strong acc
 *   gsm8k     gsm8k/gsm8k_responses.csv                                1319     747      383          95        94      0.638     0.857
 *   law       mmlu professional_law, international_law, jurisprudence  1763     852      431         112       368      0.547     0.728
 *   medicine  mmlu anatomy, clinical_knowledge, college_medicine,
 *             medical_genetics, professional_medicine, virology,
 *             nutrition                                                1417     976      209          65       167      0.735     0.836
 *   history   mmlu high_school_{european,us,world}_history, prehistory  930     749      116          16        49      0.823     0.930
 *
 * Prices: $24.7 (GPT-4) and $0.24 (Mixtral) per million tokens, the figures RouteLLM's cost
 * comparison is quoted with (we could not retrieve the paper's own table to confirm them: treat them
 * as the commonly cited RouteLLM figures). Assumed here, not published: 500 tokens per call, and
 * latencies of 5 s (GPT-4) and 1.5 s (Mixtral) per call. Costs are in US cents, so the seeds' beta
 * (0.1 per unit) weighs a GPT-4 call (1.235 cents) at 0.12 reward points.
 *
 * Latent difficulty: each question draws its joint outcome class from its family's counts; its
 * text is built from family words plus cue words that match its class 75% of the time (otherwise
 * another class's), so reading the text helps but does not give the answer away.
 */
import { z } from 'zod';
import { defineWorker, defineWorkflow, type Router } from '../../src/index.ts';
import { fromInput } from '../../transformers/index.ts';
import { catalogOf } from '../../planner/router/index.ts';
import { seededRandom } from '../../planner/router/rng.ts';
import type { RouterScenario } from './router-scenario.ts';

type Outcome = 'both' | 'strong' | 'weak' | 'neither';
const FAMILIES = {
  gsm8k: { n: 1319, both: 747, strong: 383, weak: 95, neither: 94 },
  law: { n: 1763, both: 852, strong: 431, weak: 112, neither: 368 },
  medicine: { n: 1417, both: 976, strong: 209, weak: 65, neither: 167 },
  history: { n: 930, both: 749, strong: 116, weak: 16, neither: 49 },
} as const;
type Family = keyof typeof FAMILIES;
const STEPS: Family[] = ['gsm8k', 'law', 'medicine', 'history'];

const TOKENS_PER_CALL = 500;
const CENTS_PER_TOKEN = { strong: (24.7 / 1e6) * 100, weak: (0.24 / 1e6) * 100 };
const LATENCY_MS = { strong: 5000, weak: 1500 };

const FAMILY_WORDS: Record<Family, string[]> = {
  gsm8k: ['apples', 'dollars', 'bakes', 'sells', 'weekly', 'total', 'each', 'remaining', 'price', 'miles'],
  law: ['statute', 'plaintiff', 'contract', 'court', 'liability', 'tort', 'defendant', 'precedent', 'clause', 'jurisdiction'],
  medicine: ['patient', 'nerve', 'dose', 'symptom', 'enzyme', 'diagnosis', 'artery', 'virus', 'tissue', 'clinical'],
  history: ['empire', 'treaty', 'century', 'revolution', 'colonial', 'dynasty', 'war', 'reform', 'trade', 'ancient'],
};
const CUES: Record<Outcome, string[]> = {
  both: ['simple', 'basic', 'direct', 'single'],
  strong: ['subtle', 'multi', 'exception', 'chained'],
  weak: ['phrased', 'literal', 'trick', 'wording'],
  neither: ['ambiguous', 'obscure', 'contested', 'rare'],
};
const CUE_MATCH = 0.75;

/** A question: its family, its hidden outcome class and its text. */
interface Question { qid: number; family: Family; outcome: Outcome; text: string }

function draw<T>(items: readonly T[], rnd: () => number): T {
  return items[Math.min(items.length - 1, Math.floor(rnd() * items.length))];
}

function question(qid: number, family: Family, rnd: () => number): Question {
  const f = FAMILIES[family];
  let u = rnd() * f.n;
  const outcome: Outcome = (u -= f.both) < 0 ? 'both' : (u -= f.strong) < 0 ? 'strong' : (u -= f.weak) < 0 ? 'weak' : 'neither';
  const cueClass: Outcome = rnd() < CUE_MATCH ? outcome : draw((['both', 'strong', 'weak', 'neither'] as Outcome[]).filter((o) => o !== outcome), rnd);
  const words = [draw(FAMILY_WORDS[family], rnd), draw(FAMILY_WORDS[family], rnd), draw(CUES[cueClass], rnd), draw(FAMILY_WORDS[family], rnd), draw(CUES[cueClass], rnd)];
  return { qid, family, outcome, text: `${words.join(' ')} question` };
}

const right = (q: Question, model: 'strong' | 'weak') => q.outcome === 'both' || q.outcome === model;

/**
 * The scenario: a four-step workflow (one question per family), candidates `gpt-4` and `mixtral`
 * on every step, two attempts per step (a cascade's escalation), `trainRuns` + `testRuns` episodes.
 *
 * @example
 * const s = publishedScenario({ seed: 42, trainRuns: 1500, testRuns: 500 });
 */
export function publishedScenario(o: { seed: number; trainRuns: number; testRuns: number }): RouterScenario {
  const rnd = seededRandom(o.seed);
  const questions = new Map<number, Question>();
  let next = 1;
  const episode = () => Object.fromEntries(STEPS.map((f) => {
    const q = question(next++, f, rnd);
    questions.set(q.qid, q);
    return [f, { text: q.text, qid: q.qid }];
  }));
  const train = Array.from({ length: o.trainRuns }, episode);
  const test = Array.from({ length: o.testRuns }, episode);
  const model = (name: string, which: 'strong' | 'weak') => defineWorker({
    name, description: `Simulated ${name}: right exactly when RouteLLM's outcome class says so.`,
    input: z.object({ text: z.string(), qid: z.number() }), output: z.object({ answer: z.string() }),
    price: { perInputToken: CENTS_PER_TOKEN[which] }, latencyMs: LATENCY_MS[which],
    async run(input, ctx) {
      await ctx.sleep(LATENCY_MS[which]);
      ctx.reportCost(CENTS_PER_TOKEN[which] * TOKENS_PER_CALL);
      if (!right(questions.get(input.qid)!, which)) throw new Error(`${name} answered question ${input.qid} wrong`);
      return { answer: 'ok' };
    },
  });
  const candidates = [model('gpt-4', 'strong'), model('mixtral', 'weak')];
  const workflow = defineWorkflow({
    id: 'published-four-families', onFailure: 'failed',
    steps: STEPS.map((f) => ({ id: f, candidates, capability: f, input: fromInput(f), retry: { maxAttempts: 2, initialDelayMs: 1 } })),
  });
  const oracle: Router = {
    id: 'oracle', version: '1',
    route(r) {
      const q = questions.get((r.input as { qid: number }).qid)!;
      const worker = right(q, 'weak') ? 'mixtral' : right(q, 'strong') ? 'gpt-4' : 'mixtral';
      return { worker, policy: 'oracle', version: '1' };
    },
  };
  return {
    name: 'published', workflow, train, test, oracle, costUnit: 'US cents',
    source: 'RouteLLM (Ong et al. 2024) released per-question outcomes of gpt-4-1106-preview and Mixtral-8x7B-Instruct (lm-sys/RouteLLM routellm/evals @0b64fda); joint counts per family in bench/lib/router-published.ts',
    catalog: catalogOf(STEPS.map((f) => ({ capability: f, candidates: ['gpt-4', 'mixtral'] }))),
    capabilityOf: (_w, step) => step,
  };
}
