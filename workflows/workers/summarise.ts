import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { prose, sentences as splitSentences, words } from '../lib/text.ts';
import { textRank, topK } from '../lib/textrank.ts';

// Sections that summarise nothing of the document's own content.
const SKIP_SECTIONS = /^(?:\d+[.)]?\s*)?(?:references|bibliography|acknowledg(?:e)?ments?|appendix\b.*|notes)$/i;

/**
 * Extractive summary: sentences of the prose (captions, image lines and tables excluded),
 * ranked by TextRank centrality; the top `maxSentences` are returned in document order.
 *
 * @example
 * await summariseWorker.run({ text: longText, maxSentences: 3 }, ctx)
 * // { summary: 'A. B. C.', sentences: ['A.', 'B.', 'C.'] }
 */
export const summariseWorker = defineWorker({
  name: 'summarise',
  description: 'Writes an extractive summary of a text: picks the most central sentences with a TextRank sentence graph and returns them in document order.',
  input: z
    .object({
      text: z.string().optional(),
      sections: z.array(z.object({ heading: z.string(), text: z.string() })).optional(),
      maxSentences: z.number().int().min(1).max(50).default(5),
    })
    .refine((v) => v.text !== undefined || v.sections !== undefined, { message: 'needs `text` or `sections`' }),
  output: z.object({ summary: z.string(), sentences: z.array(z.string()) }),
  retry: { maxAttempts: 1 },
  run({ text, sections, maxSentences }) {
    const body = sections && sections.length > 0
      ? sections.filter((s) => !SKIP_SECTIONS.test(s.heading.trim())).map((s) => s.text).join('\n\n')
      : text ?? '';
    // Fragments (headings, list stubs) are not summary material.
    const candidates = [
      ...new Set(splitSentences(prose(body)).map((s) => s.replace(/^(?:[-*+]|\d+[.)])\s+/, '')).filter((s) => words(s).length >= 6)),
    ];
    const chosen = topK(textRank(candidates), maxSentences).map((i) => candidates[i]);
    return { summary: chosen.join(' '), sentences: chosen };
  },
});
