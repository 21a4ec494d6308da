import { relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { artifactDir, writeArtifact } from '../lib/artifacts.ts';
import { slug } from '../lib/text.ts';

const FigureSchema = z.object({ label: z.string(), caption: z.string(), src: z.string().optional() });
const SlideSchema = z.object({ title: z.string(), bullets: z.array(z.string()), figure: FigureSchema.optional() });

// Marp reads these as literal syntax; a bullet that starts with one would change the slide's structure.
const escapeLine = (s: string) => s.replace(/\s+/g, ' ').replace(/^([#>|-]|\d+\.)/, '\\$1').trim();

/**
 * Renders an outline as Marp Markdown: YAML front matter, then one `---`-separated slide
 * each; the first slide is the title slide (`#`), the others use `##`. A figure with an
 * image file becomes an image plus its caption; one without (a table) becomes a quote.
 *
 * @example
 * renderMarp({ title: 'T', slides: [{ title: 'T', bullets: [] }, { title: 'A', bullets: ['x'] }] })
 * // '---\nmarp: true\ntitle: "T"\npaginate: true\n---\n\n# T\n\n---\n\n## A\n\n- x\n'
 */
export function renderMarp(deck: { title: string; slides: Array<z.infer<typeof SlideSchema>> }): string {
  const parts = deck.slides.map((slide, i) => {
    const lines = [`${i === 0 ? '#' : '##'} ${escapeLine(slide.title)}`];
    if (slide.bullets.length) lines.push('', ...slide.bullets.map((b) => `- ${escapeLine(b)}`));
    const f = slide.figure;
    if (f) {
      const caption = `${f.label}${f.caption ? `: ${escapeLine(f.caption)}` : ''}`;
      if (f.src) lines.push('', `![${f.label}](${f.src.replace(/[()\s]/g, encodeURIComponent)})`, '', `*${caption}*`);
      else lines.push('', `> ${caption}`);
    }
    return lines.join('\n');
  });
  return `---\nmarp: true\ntitle: ${JSON.stringify(deck.title)}\npaginate: true\n---\n\n${parts.join('\n\n---\n\n')}\n`;
}

/**
 * Writes the slide outline as a Marp Markdown deck file in the run's artefact folder.
 *
 * @example
 * await renderDeckWorker.run({ title: 'T', slides }, ctx) // { path: '.../artifacts/<runId>/t.slides.md', slideCount: 7, bytes: 2310 }
 */
export const renderDeckWorker = defineWorker({
  name: 'render-deck',
  description: 'Renders a slide outline to a Markdown slide deck file (Marp format, slides separated by ---) and returns its path, slide count and size.',
  input: z.object({
    title: z.string().default('Presentation'),
    slides: z.array(SlideSchema).min(1),
    outDir: z.string().optional(),
    /** Folder that relative figure paths are relative to (the source document's folder). */
    baseDir: z.string().optional(),
  }),
  output: z.object({ path: z.string(), slideCount: z.number().int(), bytes: z.number().int() }),
  retry: { maxAttempts: 2, initialDelayMs: 100 },
  async run({ title, slides, outDir, baseDir }, ctx) {
    const dir = artifactDir(ctx.runId, outDir);
    // The deck lives elsewhere than the document, so relative image paths are re-based on the deck's folder.
    const rebased = baseDir === undefined ? slides : slides.map((s) => (s.figure?.src && !/^(?:[a-z][a-z0-9+.-]*:|\/)/i.test(s.figure.src) ? { ...s, figure: { ...s.figure, src: relative(dir, resolve(baseDir, s.figure.src)).split(sep).join('/') } } : s));
    const { path, bytes } = await writeArtifact(dir, `${slug(title).slice(0, 60)}.slides.md`, renderMarp({ title, slides: rebased }));
    return { path, slideCount: slides.length, bytes };
  },
});
