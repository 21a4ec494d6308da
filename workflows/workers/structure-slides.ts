import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { clip, contentTerms, prose, sentences as splitSentences, stem, words } from '../lib/text.ts';

const FigureSchema = z.object({ label: z.string(), caption: z.string(), src: z.string().optional() });
const SlideSchema = z.object({ title: z.string(), bullets: z.array(z.string()), figure: FigureSchema.optional() });

type Figure = z.infer<typeof FigureSchema>;
type Slide = z.infer<typeof SlideSchema>;

// Front and back matter that does not become a content slide.
const SKIP = /^(?:\d+[.)]?\s*)?(?:references|bibliography|acknowledg(?:e)?ments?|appendix\b.*|notes|overview|abstract|summary|keywords)$/i;

function mentions(text: string, label: string): boolean {
  const [kind, n] = label.split(' ');
  const pattern = kind === 'Table' ? `Tables?\\.?\\s+${n}` : kind === 'Figure' ? `(?:Figures?|Figs?\\.)\\s+${n}` : undefined;
  return pattern !== undefined && new RegExp(`\\b${pattern}\\b`, 'i').test(text);
}

/**
 * Builds a slide outline from a document's parts:
 * - a title slide (with the top key terms when given), then a "Key points" slide of the summary;
 * - one slide per content section (front/back matter skipped), its bullets the section's
 *   `maxBullets` highest-weighted sentences in reading order, where a sentence weighs the
 *   document frequency of its content terms, doubled for key-phrase terms, normalised by
 *   length, and summary sentences are not repeated;
 * - each figure attached to the first section slide that mentions or contains it (images
 *   before tables); figures
 *   no section claims get a slide of their own.
 *
 * @example
 * structureSlides({ title: 'Paper', sentences: ['A claim.'], sections: [{ heading: 'Method', text: 'We did X.' }], maxBullets: 4, maxSlides: 20, bulletWords: 24 })
 * // { title: 'Paper', slides: [{ title: 'Paper', bullets: [] }, { title: 'Key points', bullets: ['A claim.'] }, { title: 'Method', bullets: ['We did X.'] }] }
 */
export function structureSlides(input: {
  title?: string;
  summary?: string;
  sentences?: string[];
  figures?: Figure[];
  sections?: Array<{ heading: string; text: string }>;
  keywords?: string[];
  maxBullets: number;
  maxSlides: number;
  bulletWords: number;
}): { title: string; slides: Slide[] } {
  const sections = input.sections ?? [];
  const title = input.title?.trim() || sections[0]?.heading || 'Presentation';
  const keywords = input.keywords ?? [];
  const summary = input.sentences?.length ? input.sentences : input.summary ? splitSentences(input.summary) : [];
  const slides: Slide[] = [{ title, bullets: keywords.length ? [`Key terms: ${keywords.slice(0, 5).join(', ')}`] : [] }];
  if (summary.length) slides.push({ title: 'Key points', bullets: summary.map((s) => clip(s, input.bulletWords)) });

  const docFreq = new Map<string, number>();
  for (const t of contentTerms(sections.map((s) => s.text).join('\n'))) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
  const keyTerms = new Set(keywords.flatMap((k) => words(k).map(stem)));
  const inSummary = new Set(summary.map((s) => s.trim()));
  const weight = (s: string) => {
    const terms = contentTerms(s);
    if (terms.length === 0) return 0;
    const sum = terms.reduce((a, t) => a + (docFreq.get(t) ?? 0) * (keyTerms.has(t) ? 2 : 1), 0);
    return sum / Math.sqrt(terms.length);
  };

  const figures = [...(input.figures ?? [])];
  const claimed = new Set<Figure>();
  for (const section of sections) {
    if (SKIP.test(section.heading.trim()) || slides.length >= input.maxSlides) continue;
    const candidates = splitSentences(prose(section.text))
      .map((s) => s.replace(/^(?:[-*+]|\d+[.)])\s+/, ''))
      .filter((s) => words(s).length >= 3 && !inSummary.has(s.trim()));
    if (candidates.length === 0) continue;
    const picked = candidates
      .map((s, i) => ({ s, i, w: weight(s) }))
      .sort((a, b) => b.w - a.w || a.i - b.i)
      .slice(0, input.maxBullets)
      .sort((a, b) => a.i - b.i)
      .map((x) => clip(x.s, input.bulletWords));
    // An image says more on a slide than a table caption, so it wins when a section has both.
    const discussed = figures.filter((f) => !claimed.has(f) && (mentions(section.text, f.label) || (f.caption !== '' && section.text.includes(f.caption))));
    const figure = discussed.find((f) => f.src) ?? discussed[0];
    const slide: Slide = { title: section.heading.replace(/^\d+(?:\.\d+)*[.)]?\s+/, ''), bullets: picked };
    if (figure) {
      claimed.add(figure);
      slide.figure = figure;
    }
    slides.push(slide);
  }
  for (const f of figures) {
    if (claimed.has(f) || slides.length >= input.maxSlides) continue;
    slides.push({ title: f.label, bullets: f.caption ? [clip(f.caption, input.bulletWords)] : [], figure: f });
  }
  return { title, slides };
}

/**
 * Turns a summary, figures, sections and key phrases into a slide outline.
 *
 * @example
 * await structureSlidesWorker.run({ title: 'Paper', sentences: ['A claim.'], sections, figures }, ctx)
 * // { title: 'Paper', slides: [{ title: 'Paper', bullets: [] }, { title: 'Key points', bullets: ['A claim.'] }, ...] }
 */
export const structureSlidesWorker = defineWorker({
  name: 'structure-slides',
  description: 'Structures a presentation outline (title slide, key points, one slide per section with its most important sentences as bullets, figures attached where they are discussed) from a summary, figures, sections and keywords.',
  input: z.object({
    title: z.string().optional(),
    summary: z.string().optional(),
    sentences: z.array(z.string()).optional(),
    figures: z.array(FigureSchema).optional(),
    sections: z.array(z.object({ heading: z.string(), text: z.string() })).optional(),
    keywords: z.array(z.string()).optional(),
    maxBullets: z.number().int().min(1).max(10).default(4),
    maxSlides: z.number().int().min(1).max(100).default(20),
    bulletWords: z.number().int().min(5).max(80).default(24),
  }),
  output: z.object({ title: z.string(), slides: z.array(SlideSchema) }),
  retry: { maxAttempts: 1 },
  run(input) {
    if (!input.sections?.length && !input.summary && !input.sentences?.length) {
      throw new Error('structure-slides: input has neither `sections` nor a `summary`; nothing to put on slides');
    }
    return structureSlides(input);
  },
});
