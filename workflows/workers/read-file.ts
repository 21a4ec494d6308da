import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';

const FORMATS: Record<string, 'markdown' | 'text' | 'html'> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
};

/**
 * Reads a local Markdown, plain-text or HTML file as UTF-8. The format comes from the
 * extension, so a downstream parser never has to guess.
 *
 * @example
 * await readFileWorker.run({ path: 'fixtures/papers/sparse-retrieval.md' }, ctx)
 * // { path: '/abs/fixtures/papers/sparse-retrieval.md', text: '# ...', format: 'markdown' }
 */
export const readFileWorker = defineWorker({
  name: 'read-file',
  description: 'Reads a local text document (.md, .txt or .html) from disk and returns its path, raw text and format.',
  input: z.object({ path: z.string().min(1) }),
  output: z.object({ path: z.string(), text: z.string(), format: z.enum(['markdown', 'text', 'html']) }),
  retry: { maxAttempts: 1 },
  async run({ path }) {
    const format = FORMATS[extname(path).toLowerCase()];
    if (!format) throw new Error(`read-file: ${path}: unsupported extension ${JSON.stringify(extname(path))} (expected one of ${Object.keys(FORMATS).join(', ')})`);
    const full = resolve(path);
    let text: string;
    try {
      text = await readFile(full, 'utf8');
    } catch (e) {
      throw new Error(`read-file: cannot read ${full}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return { path: full, text: text.replace(/^\uFEFF/, ''), format };
  },
});
