import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { blocksToHtml, escapeHtml, parseMarkdown } from '../lib/markdown.ts';

/**
 * Converts Markdown to HTML (headings, paragraphs, nested lists, code, quotes, tables,
 * links, images, emphasis). Raw HTML in the source is escaped, and javascript:/data: URLs
 * are neutralised, so the output is safe to serve. `standalone` wraps it in a full page.
 *
 * @example
 * await markdownToHtmlWorker.run({ markdown: '# Hi\n\n*there*' }, ctx) // { html: '<h1 id="hi">Hi</h1>\n<p><em>there</em></p>' }
 */
export const markdownToHtmlWorker = defineWorker({
  name: 'markdown-to-html',
  description: 'Converts Markdown text to HTML (headings, lists, tables, code, links, images, emphasis), optionally as a standalone page.',
  input: z
    .object({
      markdown: z.string().optional(),
      text: z.string().optional(),
      standalone: z.boolean().default(false),
      title: z.string().optional(),
    })
    .refine((v) => v.markdown !== undefined || v.text !== undefined, { message: 'needs `markdown` or `text`' }),
  output: z.object({ html: z.string() }),
  retry: { maxAttempts: 1 },
  run({ markdown, text, standalone, title }) {
    const { frontTitle, blocks } = parseMarkdown(markdown ?? text ?? '');
    const body = blocksToHtml(blocks);
    if (!standalone) return { html: body };
    const h1 = blocks.find((b) => b.kind === 'heading' && b.level === 1);
    const pageTitle = title ?? frontTitle ?? (h1 && h1.kind === 'heading' ? h1.text.replace(/[*_`]/g, '') : 'Document');
    return {
      html: `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(pageTitle)}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`,
    };
  },
});
