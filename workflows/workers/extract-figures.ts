import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { decodeEntities } from '../lib/document.ts';

const CAPTION = /^\s*(?:\*\*|__|\*|_)?\s*((?:Figure|Fig\.|Table)\s+(\d+[a-z]?))\s*(?:[.:—–-]|\*\*|__)+\s*(.*?)\s*(?:\*\*|__|\*|_)?\s*$/i;
const MD_IMAGE = /!\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+"([^"]*)")?\s*\)/g;
const HTML_IMAGE = /<img\b[^>]*>/gi;

export interface Figure {
  label: string;
  caption: string;
  src?: string;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

/**
 * Scans lines for captions ("Figure 2: ...", "Table 1. ...", "**Fig. 3** ...") and image
 * references (Markdown `![alt](src)` or `<img>`). An image directly followed or preceded
 * (within two lines) by a Figure caption is merged into that figure; an image with no
 * caption is reported as "Image n" with its alt text. Labels are normalised to
 * "Figure n" / "Table n", and a label seen twice keeps its first caption.
 *
 * @example
 * findFigures('![Plot](a.svg)\nFigure 1: Accuracy.\nTable 2. Costs.')
 * // [{ label: 'Figure 1', caption: 'Accuracy.', src: 'a.svg' }, { label: 'Table 2', caption: 'Costs.' }]
 */
export function findFigures(text: string): Figure[] {
  const lines = text.split('\n');
  type Hit = { line: number; label?: string; caption?: string; src?: string; alt?: string };
  const hits: Hit[] = [];
  lines.forEach((raw, line) => {
    const l = raw.trim();
    const images = [...l.matchAll(MD_IMAGE)].map((m) => ({ src: m[2], alt: m[1] || m[3] || '' }));
    for (const tag of l.match(HTML_IMAGE) ?? []) images.push({ src: attr(tag, 'src') ?? '', alt: attr(tag, 'alt') ?? '' });
    for (const img of images) hits.push({ line, src: img.src, alt: img.alt });
    const rest = l.replace(MD_IMAGE, '').replace(HTML_IMAGE, '').replace(/<\/?figcaption[^>]*>/gi, '').trim();
    const c = CAPTION.exec(rest);
    // A caption is a line that starts with the label; "as Figure 2 shows" mid-sentence is a mention, not a caption.
    if (c && c[3].length > 0) {
      const kind = /^tab/i.test(c[1]) ? 'Table' : 'Figure';
      hits.push({ line, label: `${kind} ${c[2]}`, caption: c[3].replace(/\s+/g, ' ') });
    }
  });
  const used = new Set<Hit>();
  const out: Figure[] = [];
  const seen = new Set<string>();
  for (const cap of hits.filter((h) => h.label)) {
    let src: string | undefined;
    if (cap.label!.startsWith('Figure')) {
      const img = hits
        .filter((h) => h.src !== undefined && !used.has(h) && Math.abs(h.line - cap.line) <= 2)
        .sort((a, b) => Math.abs(a.line - cap.line) - Math.abs(b.line - cap.line) || a.line - b.line)[0];
      if (img) { used.add(img); src = img.src; }
    }
    if (seen.has(cap.label!)) continue;
    seen.add(cap.label!);
    out.push(src ? { label: cap.label!, caption: cap.caption!, src } : { label: cap.label!, caption: cap.caption! });
  }
  let n = 0;
  for (const img of hits.filter((h) => h.src !== undefined && !used.has(h))) {
    out.push({ label: `Image ${++n}`, caption: img.alt ?? '', src: img.src });
  }
  return out;
}

/**
 * Finds figure and table captions and image references in a document's sections (or
 * plain text), keeping document order of captions, then uncaptioned images.
 *
 * @example
 * await extractFiguresWorker.run({ text: '![Plot](a.svg)\nFigure 1: Accuracy over time.' }, ctx)
 * // { figures: [{ label: 'Figure 1', caption: 'Accuracy over time.', src: 'a.svg' }] }
 */
export const extractFiguresWorker = defineWorker({
  name: 'extract-figures',
  description: 'Finds the figures and tables of a document: their labels ("Figure 2", "Table 1"), captions and image file references.',
  input: z
    .object({
      sections: z.array(z.object({ heading: z.string(), text: z.string() })).optional(),
      text: z.string().optional(),
    })
    .refine((v) => v.text !== undefined || v.sections !== undefined, { message: 'needs `sections` or `text`' }),
  output: z.object({
    figures: z.array(z.object({ label: z.string(), caption: z.string(), src: z.string().optional() })),
  }),
  retry: { maxAttempts: 1 },
  run({ sections, text }) {
    const body = sections && sections.length > 0 ? sections.map((s) => s.text).join('\n\n') : text ?? '';
    return { figures: findFigures(body) };
  },
});
