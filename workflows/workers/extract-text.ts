import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { sniffFormat, structure } from '../lib/document.ts';

/**
 * Parses a Markdown, HTML or plain-text document into a title, heading-delimited sections
 * and the plain text. Image references survive as `![alt](src)` lines for extract-figures.
 *
 * @example
 * await extractTextWorker.run({ text: '# T\n\n## Intro\n\nHi.', format: 'markdown' }, ctx)
 * // { title: 'T', sections: [{ heading: 'Intro', text: 'Hi.' }], text: 'Intro\n\nHi.' }
 */
export const extractTextWorker = defineWorker({
  name: 'extract-text',
  description: 'Parses a document (Markdown, HTML or plain text) into its title, a list of sections (heading + plain text) and the full plain text.',
  input: z.object({
    text: z.string(),
    format: z.enum(['markdown', 'text', 'html']).optional(),
  }),
  output: z.object({
    title: z.string(),
    sections: z.array(z.object({ heading: z.string(), text: z.string() })),
    text: z.string(),
  }),
  retry: { maxAttempts: 1 },
  run({ text, format }) {
    return structure(text, format ?? sniffFormat(text));
  },
});
