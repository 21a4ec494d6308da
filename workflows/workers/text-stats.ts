import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { prose, sentences, syllables, words } from '../lib/text.ts';

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * Counts words, sentences and syllables of the prose (captions and tables excluded) and
 * derives Flesch reading ease (206.835 − 1.015·words/sentence − 84.6·syllables/word),
 * the Flesch–Kincaid grade and reading time at 238 words per minute.
 *
 * @example
 * textStats('The cat sat on the mat. It purred.').fleschReadingEase // 118.18 (very easy)
 */
export function textStats(text: string) {
  const body = prose(text);
  const ws = words(body).filter((w) => /[a-z]/.test(w));
  const ss = sentences(body).filter((s) => /[a-z]/i.test(s));
  const syl = ws.reduce((a, w) => a + syllables(w), 0);
  const nW = ws.length;
  const nS = Math.max(ss.length, nW > 0 ? 1 : 0);
  const wps = nS ? nW / nS : 0;
  const spw = nW ? syl / nW : 0;
  return {
    words: nW,
    sentences: nS,
    syllables: syl,
    characters: body.replace(/\s/g, '').length,
    uniqueWords: new Set(ws).size,
    avgWordsPerSentence: round(wps),
    avgSyllablesPerWord: round(spw),
    fleschReadingEase: nW ? round(206.835 - 1.015 * wps - 84.6 * spw) : 0,
    fleschKincaidGrade: nW ? round(0.39 * wps + 11.8 * spw - 15.59) : 0,
    readingMinutes: round(nW / 238, 1),
  };
}

/**
 * Readability statistics of a text.
 *
 * @example
 * await textStatsWorker.run({ text: 'Short words help. So do short sentences.' }, ctx) // { stats: { words: 7, sentences: 2, ... } }
 */
export const textStatsWorker = defineWorker({
  name: 'text-stats',
  description: 'Computes readability statistics of a text: word, sentence and syllable counts, Flesch reading ease, Flesch-Kincaid grade and reading time.',
  input: z.object({ text: z.string() }),
  output: z.object({
    stats: z.object({
      words: z.number().int(),
      sentences: z.number().int(),
      syllables: z.number().int(),
      characters: z.number().int(),
      uniqueWords: z.number().int(),
      avgWordsPerSentence: z.number(),
      avgSyllablesPerWord: z.number(),
      fleschReadingEase: z.number(),
      fleschKincaidGrade: z.number(),
      readingMinutes: z.number(),
    }),
  }),
  retry: { maxAttempts: 1 },
  run({ text }) {
    return { stats: textStats(text) };
  },
});
