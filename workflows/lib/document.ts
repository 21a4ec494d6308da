import { blocksToText, inlineText, parseMarkdown, type Block } from './markdown.ts';

/** A document split at its headings. */
export interface Section {
  heading: string;
  text: string;
}

export interface StructuredText {
  title: string;
  sections: Section[];
  /** Headings and section bodies, paragraphs separated by blank lines. */
  text: string;
}

export type Format = 'markdown' | 'html' | 'text';

/** Heading used for text that comes before the first heading. */
export const PREAMBLE = 'Overview';

function assemble(title: string, sections: Section[]): StructuredText {
  const kept = sections.filter((s) => s.text.trim() !== '' || s.heading !== PREAMBLE);
  const text = kept.map((s) => (s.heading === PREAMBLE ? s.text : `${s.heading}\n\n${s.text}`.trim())).join('\n\n');
  return { title, sections: kept, text };
}

/**
 * Markdown to title + sections. The title is the front matter `title:`, else the first
 * heading when it is the only one at the top level used; every other heading opens a section.
 *
 * @example
 * markdownStructure('# Paper\n\n## Intro\n\nHello.').sections // [{ heading: 'Intro', text: 'Hello.' }]
 */
export function markdownStructure(source: string): StructuredText {
  const { frontTitle, blocks } = parseMarkdown(source);
  const headings = blocks.filter((b): b is Extract<Block, { kind: 'heading' }> => b.kind === 'heading');
  const top = Math.min(...headings.map((h) => h.level));
  const titleHeading = headings.length > 0 && headings.filter((h) => h.level === top).length === 1 && headings[0].level === top ? headings[0] : undefined;
  const sections: Section[] = [];
  let heading = PREAMBLE;
  let body: Block[] = [];
  const flush = () => {
    sections.push({ heading, text: blocksToText(body) });
    body = [];
  };
  for (const b of blocks) {
    if (b === titleHeading) continue;
    if (b.kind === 'heading') {
      flush();
      heading = inlineText(b.text);
    } else body.push(b);
  }
  flush();
  const firstLine = blocksToText(blocks.slice(0, 1)).split('\n')[0] ?? '';
  const title = frontTitle ?? (titleHeading ? inlineText(titleHeading.text) : firstLine.split(/\s+/).slice(0, 12).join(' '));
  return assemble(title, sections);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', copy: '©', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“' };

/**
 * Decodes named (common), decimal and hex HTML entities.
 *
 * @example
 * decodeEntities('a &amp; b &#8212; &#x41;') // 'a & b — A'
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

/** HTML fragment to plain text lines; images become `![alt](src)` lines, table cells `| a | b |`. */
function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<img\b[^>]*>/gi, (tag) => `\n![${attr(tag, 'alt') ?? ''}](${attr(tag, 'src') ?? ''})\n`)
      .replace(/<li\b[^>]*>/gi, '\n- ')
      .replace(/<tr\b[^>]*>/gi, '\n|')
      .replace(/<\/t[dh]>/gi, ' |')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/?(?:p|div|section|article|header|footer|main|nav|aside|figure|figcaption|blockquote|pre|ul|ol|table|thead|tbody|h[1-6])\b[^>]*>/gi, '\n\n')
      .replace(/<[^>]+>/g, ''),
  )
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * HTML to title + sections: scripts, styles and comments dropped; the title is `<title>`,
 * else the first `<h1>`; every `<h1>`–`<h6>` other than the title heading opens a section.
 *
 * @example
 * htmlStructure('<title>T</title><h2>A</h2><p>x &amp; y</p>').sections // [{ heading: 'A', text: 'x & y' }]
 */
export function htmlStructure(source: string): StructuredText {
  const clean = source.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style|template|noscript)\b[\s\S]*?<\/\1\s*>/gi, '');
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(clean)?.[1];
  const body = /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(clean)?.[1] ?? clean.replace(/<head\b[\s\S]*?<\/head>/i, '').replace(/<title\b[\s\S]*?<\/title>/i, '');
  const parts = body.split(/(<h[1-6]\b[^>]*>[\s\S]*?<\/h[1-6]\s*>)/i);
  let title = titleTag ? htmlToText(titleTag) : '';
  const sections: Section[] = [];
  let heading = PREAMBLE;
  for (const part of parts) {
    const h = /^<h([1-6])\b[^>]*>([\s\S]*?)<\/h[1-6]\s*>$/i.exec(part);
    if (h) {
      const text = htmlToText(h[2]);
      if (!title && h[1] === '1') { title = text; continue; }
      if (h[1] === '1' && text === title && sections.length === 0) continue;
      heading = text;
      sections.push({ heading, text: '' });
    } else {
      const text = htmlToText(part);
      if (!text) continue;
      const last = sections[sections.length - 1];
      if (last && last.heading === heading) last.text = last.text ? `${last.text}\n\n${text}` : text;
      else sections.push({ heading, text });
    }
  }
  return assemble(title || (sections[0]?.text.split('\n')[0] ?? ''), sections);
}

/**
 * Plain text to title + sections. A heading is a short line (at most 10 words) with no
 * closing full stop that stands alone between blank lines or is underlined with `===`/`---`;
 * the first such line, or the first line, is the title.
 *
 * @example
 * textStructure('My Notes\n\nIntro\n\nHello there.').sections // [{ heading: 'Intro', text: 'Hello there.' }]
 */
export function textStructure(source: string): StructuredText {
  const paras = source.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const isHeading = (p: string) => {
    const lines = p.split('\n');
    if (lines.length === 2 && /^[=-]{3,}$/.test(lines[1].trim())) return lines[0].trim();
    if (lines.length !== 1) return undefined;
    const l = lines[0].trim();
    const n = l.split(/\s+/).length;
    return n <= 10 && !/[.:;,!?]$/.test(l) && /^[\p{Lu}\d]/u.test(l) && !/^[-*•]/.test(l) ? l.replace(/^#+\s*/, '') : undefined;
  };
  let title = '';
  const sections: Section[] = [];
  let heading = PREAMBLE;
  let body: string[] = [];
  const flush = () => {
    if (body.length || heading !== PREAMBLE) sections.push({ heading, text: body.join('\n\n') });
    body = [];
  };
  paras.forEach((p, i) => {
    const h = isHeading(p);
    if (h !== undefined && i === 0) { title = h; return; }
    if (h !== undefined) { flush(); heading = h; return; }
    body.push(p.replace(/[ \t]+/g, ' '));
  });
  flush();
  if (!title) title = (paras[0] ?? '').split(/\s+/).slice(0, 12).join(' ');
  return assemble(title, sections);
}

/**
 * Dispatches on the format.
 *
 * @example
 * structure('# T\n\nx', 'markdown').title // 'T'
 */
export function structure(source: string, format: Format): StructuredText {
  return format === 'markdown' ? markdownStructure(source) : format === 'html' ? htmlStructure(source) : textStructure(source);
}

/**
 * Guesses a format from the content when none is given: tags mean HTML, Markdown
 * headings/emphasis/lists mean Markdown, anything else is plain text.
 *
 * @example
 * sniffFormat('<html><body>x</body></html>') // 'html'
 */
export function sniffFormat(source: string): Format {
  if (/^\s*(?:<!doctype html|<html\b)|<(?:body|p|div|h[1-6])\b[^>]*>/i.test(source)) return 'html';
  if (/^#{1,6}\s|^\s*[-*+]\s|\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\)|^```/m.test(source)) return 'markdown';
  return 'text';
}
