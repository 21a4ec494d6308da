import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { prose, stem, STOPWORDS } from '../lib/text.ts';

// Words that split candidate phrases on top of the stop words: verbs and fillers that
// rarely belong inside a key phrase.
const SPLITTERS = new Set(['show', 'shows', 'shown', 'propose', 'proposed', 'present', 'presents', 'describe', 'describes', 'find', 'found', 'make', 'makes', 'made', 'take', 'takes', 'get', 'gets', 'see', 'seen', 'first', 'second', 'third', 'section', 'paper', 'figure', 'table', 'fig', 'even', 'still', 'rather', 'whose', 'less', 'least', 'every', 'given', 'give', 'gives', 'need', 'needs', 'want']);

/**
 * RAKE keyword extraction: candidate phrases are runs of content words between stop words
 * and punctuation (at most 3 words); each word scores degree/frequency over all candidates;
 * a phrase scores the sum of its words, weighted by log(1 + occurrences) so a phrase that
 * recurs beats a one-off rarity, and phrases seen more than once rank before all others. Phrases are compared by their stems, so plural and
 * singular forms count together, and the most frequent surface form is reported.
 *
 * @example
 * rake('Sparse retrieval is faster than dense retrieval. Sparse retrieval is cheap.', 2) // ['sparse retrieval', 'dense retrieval']
 */
export function rake(text: string, max: number): string[] {
  const phrases: string[][] = [];
  for (const chunk of prose(text).toLowerCase().split(/[.,;:!?()\[\]{}"“”‘’|\n]|\s[-–—]\s/)) {
    let current: string[] = [];
    for (const w of chunk.match(/[a-z][a-z0-9'-]*[a-z0-9]|[a-z]/g) ?? []) {
      if (STOPWORDS.has(w) || SPLITTERS.has(w) || w.length < 3 && !/^[a-z]\d/.test(w)) {
        if (current.length) phrases.push(current);
        current = [];
      } else current.push(w);
    }
    if (current.length) phrases.push(current);
  }
  const freq = new Map<string, number>();
  const degree = new Map<string, number>();
  const groups = new Map<string, { words: string[]; count: number; forms: Map<string, number> }>();
  for (const p of phrases) {
    if (p.length > 3) continue;
    const stems = p.map(stem);
    for (const s of stems) {
      freq.set(s, (freq.get(s) ?? 0) + 1);
      degree.set(s, (degree.get(s) ?? 0) + p.length);
    }
    const key = stems.join(' ');
    const g = groups.get(key) ?? { words: stems, count: 0, forms: new Map() };
    g.count++;
    const form = p.join(' ');
    g.forms.set(form, (g.forms.get(form) ?? 0) + 1);
    groups.set(key, g);
  }
  const scored = [...groups.values()].map((g) => {
    const score = g.words.reduce((a, s) => a + degree.get(s)! / freq.get(s)!, 0) * Math.log(1 + g.count);
    const form = [...g.forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    return { form, score, stems: g.words };
  });
  // A phrase seen once is usually a turn of phrase, not a topic: recurring phrases go first.
  const recurring = (x: (typeof scored)[number]) => (groups.get(x.stems.join(' '))!.count > 1 ? 1 : 0);
  scored.sort((a, b) => recurring(b) - recurring(a) || b.score - a.score || (a.form < b.form ? -1 : 1));
  // Skip a phrase wholly contained in one already chosen ("retrieval" after "sparse retrieval").
  const chosen: typeof scored = [];
  for (const s of scored) {
    if (chosen.length >= max) break;
    if (chosen.some((c) => s.stems.every((w) => c.stems.includes(w)))) continue;
    chosen.push(s);
  }
  return chosen.map((c) => c.form);
}

/**
 * Extracts the key phrases of a text with RAKE.
 *
 * @example
 * await extractKeywordsWorker.run({ text: paperText, maxKeywords: 8 }, ctx) // { keywords: ['sparse retrieval', ...] }
 */
export const extractKeywordsWorker = defineWorker({
  name: 'extract-keywords',
  description: 'Extracts the key phrases of a text (RAKE: co-occurrence of content words between stop words), most important first.',
  input: z.object({ text: z.string(), maxKeywords: z.number().int().min(1).max(100).default(10) }),
  output: z.object({ keywords: z.array(z.string()) }),
  retry: { maxAttempts: 1 },
  run({ text, maxKeywords }) {
    return { keywords: rake(text, maxKeywords) };
  },
});
