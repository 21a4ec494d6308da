/**
 * A Markdown subset, parsed into blocks once and then rendered two ways: to HTML
 * (markdown-to-html) and to plain text with its section structure (extract-text).
 * Covered: ATX and setext headings, paragraphs, nested lists, fenced code, block quotes,
 * rules, pipe tables, YAML front matter (its `title:` only), and inline code, images,
 * links, autolinks, strong, emphasis and strikethrough.
 */

export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'rule' }
  | { kind: 'table'; header: string[]; align: Array<'left' | 'right' | 'center' | null>; rows: string[][] };

export interface ParsedMarkdown {
  /** `title:` from YAML front matter, if any. */
  frontTitle?: string;
  blocks: Block[];
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const ATX = /^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const RULE = /^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function splitRow(line: string): string[] {
  let l = line.trim();
  if (l.startsWith('|')) l = l.slice(1);
  if (l.endsWith('|') && !l.endsWith('\\|')) l = l.slice(0, -1);
  return l.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

function startsBlock(line: string, next: string | undefined): boolean {
  return (
    FENCE.test(line) || ATX.test(line) || RULE.test(line) || /^\s{0,3}>/.test(line) || ITEM.test(line) ||
    (line.includes('|') && next !== undefined && TABLE_SEP.test(next) && next.includes('-'))
  );
}

/**
 * Parses Markdown into blocks.
 *
 * @example
 * parseMarkdown('# Hi\n\nSome *text*.').blocks
 * // [{ kind: 'heading', level: 1, text: 'Hi' }, { kind: 'paragraph', text: 'Some *text*.' }]
 */
export function parseMarkdown(source: string): ParsedMarkdown {
  let lines = source.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  let frontTitle: string | undefined;
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0 && lines.slice(1, end).every((l) => l.trim() === '' || /^[\w-]+\s*:/.test(l) || /^\s/.test(l))) {
      for (const l of lines.slice(1, end)) {
        const m = /^title\s*:\s*(.+)$/.exec(l);
        if (m) frontTitle = m[1].trim().replace(/^["']|["']$/g, '');
      }
      lines = lines.slice(end + 1);
    }
  }
  return { frontTitle, blocks: parseBlocks(lines) };
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') { i++; continue; }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      blocks.push({ kind: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      blocks.push({ kind: 'heading', level: atx[1].length, text: (atx[2] ?? '').trim() });
      i++;
      continue;
    }
    if (RULE.test(line)) { blocks.push({ kind: 'rule' }); i++; continue; }
    if (/^\s{0,3}>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && lines[i].trim() !== '' && (/^\s{0,3}>/.test(lines[i]) || !startsBlock(lines[i], lines[i + 1]))) {
        body.push(lines[i++].replace(/^\s{0,3}>\s?/, ''));
      }
      blocks.push({ kind: 'quote', blocks: parseBlocks(body) });
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      const { block, next } = parseList(lines, i);
      blocks.push(block);
      i = next;
      continue;
    }
    if (line.includes('|') && lines[i + 1] !== undefined && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      const header = splitRow(line);
      const align = splitRow(lines[i + 1]).map((c) =>
        c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : null,
      );
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i].includes('|') && lines[i].trim() !== '') rows.push(splitRow(lines[i++]));
      blocks.push({ kind: 'table', header, align, rows });
      continue;
    }
    // Paragraph, possibly a setext heading when underlined.
    const body: string[] = [line.trim()];
    i++;
    while (i < lines.length && lines[i].trim() !== '') {
      if (/^\s{0,3}=+\s*$/.test(lines[i]) || (/^\s{0,3}-+\s*$/.test(lines[i]) && body.length === 1)) {
        blocks.push({ kind: 'heading', level: lines[i].includes('=') ? 1 : 2, text: body.join(' ') });
        body.length = 0;
        i++;
        break;
      }
      if (startsBlock(lines[i], lines[i + 1])) break;
      body.push(lines[i++].trim());
    }
    if (body.length) blocks.push({ kind: 'paragraph', text: body.join('\n') });
  }
  return blocks;
}

function parseList(lines: string[], from: number): { block: Block; next: number } {
  const first = ITEM.exec(lines[from])!;
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const items: string[][] = [];
  let i = from;
  while (i < lines.length) {
    const m = ITEM.exec(lines[i]);
    if (m && m[1].length === indent && /\d/.test(m[2]) === ordered) {
      items.push([m[3]]);
      i++;
      continue;
    }
    if (lines[i].trim() === '') {
      // A blank line continues the list only if an indented line or a sibling item follows.
      const n = lines[i + 1];
      if (n !== undefined && (/^\s+\S/.test(n) && n.search(/\S/) > indent || (ITEM.exec(n)?.[1].length === indent))) {
        items[items.length - 1].push('');
        i++;
        continue;
      }
      break;
    }
    const lineIndent = lines[i].search(/\S/);
    if (lineIndent > indent || !startsBlock(lines[i], lines[i + 1])) {
      items[items.length - 1].push(lines[i].slice(Math.min(lineIndent, indent + 2)));
      i++;
      continue;
    }
    break;
  }
  const start = ordered ? parseInt(first[2], 10) : 1;
  return { block: { kind: 'list', ordered, start, items: items.map((body) => parseBlocks(body)) }, next: i };
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * escapeHtml('<a & "b">') // '&lt;a &amp; &quot;b&quot;&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const UNSAFE_URL = /^\s*(?:javascript|vbscript|data(?!:image\/))\s*:/i;

function safeUrl(url: string): string {
  return UNSAFE_URL.test(url) ? '#' : url;
}

/**
 * Renders inline Markdown (already split into a block) to HTML. Code spans are cut out
 * first so nothing inside them is interpreted; everything else is escaped before the
 * inline patterns run, so raw HTML in the source is shown, never executed.
 *
 * @example
 * inlineHtml('**bold** and `a<b`') // '<strong>bold</strong> and <code>a&lt;b</code>'
 */
export function inlineHtml(text: string): string {
  const held: string[] = [];
  const hold = (html: string) => `\u0000${held.push(html) - 1}\u0000`;
  let s = text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, __, code: string) => hold(`<code>${escapeHtml(code.trim())}</code>`));
  s = s.replace(/!\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+"([^"]*)")?\s*\)/g, (_, alt: string, src: string, title?: string) =>
    hold(`<img src="${escapeHtml(safeUrl(src))}" alt="${escapeHtml(alt)}"${title ? ` title="${escapeHtml(title)}"` : ''}>`),
  );
  s = s.replace(/\[([^\]]+)\]\(\s*<?([^\s)>]+)>?(?:\s+"([^"]*)")?\s*\)/g, (_, label: string, href: string, title?: string) =>
    hold(`<a href="${escapeHtml(safeUrl(href))}"${title ? ` title="${escapeHtml(title)}"` : ''}>${inlineHtml(label)}</a>`),
  );
  s = s.replace(/<((?:https?|mailto):[^\s>]+)>/g, (_, url: string) => hold(`<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`));
  s = escapeHtml(s);
  s = s
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '<strong>$2</strong>')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\*)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1<em>$2</em>')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '<del>$1</del>')
    .replace(/ {2,}\n/g, '<br>\n')
    .replace(/\\([\\`*_{}\[\]()#+\-.!|~])/g, '$1');
  return s.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]);
}

/**
 * Renders inline Markdown to plain text: markers dropped, links reduced to their label.
 * Images stay as `![alt](src)` so figure extraction can still find them downstream.
 *
 * @example
 * inlineText('See [the docs](http://x) for **more**.') // 'See the docs for more.'
 */
export function inlineText(text: string): string {
  return text
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(?<!!)\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<((?:https?|mailto):[^\s>]+)>/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\*)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~([\s\S]*?)~~/g, '$1')
    .replace(/\\([\\`*_{}\[\]()#+\-.!|~])/g, '$1')
    .replace(/[ \t]*\n[ \t]*/g, ' ');
}

/**
 * Renders blocks to an HTML fragment.
 *
 * @example
 * blocksToHtml(parseMarkdown('- a\n- b').blocks) // '<ul>\n<li>a</li>\n<li>b</li>\n</ul>'
 */
export function blocksToHtml(blocks: Block[], tight = false): string {
  return blocks
    .map((b): string => {
      switch (b.kind) {
        case 'heading':
          return `<h${b.level} id="${anchor(b.text)}">${inlineHtml(b.text)}</h${b.level}>`;
        case 'paragraph':
          return tight ? inlineHtml(b.text) : `<p>${inlineHtml(b.text)}</p>`;
        case 'code':
          return `<pre><code${b.lang ? ` class="language-${escapeHtml(b.lang)}"` : ''}>${escapeHtml(b.text)}</code></pre>`;
        case 'quote':
          return `<blockquote>\n${blocksToHtml(b.blocks)}\n</blockquote>`;
        case 'rule':
          return '<hr>';
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          const start = b.ordered && b.start !== 1 ? ` start="${b.start}"` : '';
          const items = b.items.map((item) => `<li>${blocksToHtml(item, item.filter((x) => x.kind === 'paragraph').length <= 1)}</li>`);
          return `<${tag}${start}>\n${items.join('\n')}\n</${tag}>`;
        }
        case 'table': {
          const attr = (i: number) => (b.align[i] ? ` style="text-align:${b.align[i]}"` : '');
          const head = b.header.map((c, i) => `<th${attr(i)}>${inlineHtml(c)}</th>`).join('');
          const rows = b.rows.map((r) => `<tr>${b.header.map((_, i) => `<td${attr(i)}>${inlineHtml(r[i] ?? '')}</td>`).join('')}</tr>`);
          return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
        }
      }
    })
    .join('\n');
}

/**
 * A heading's anchor id: lower-case words joined by hyphens.
 *
 * @example
 * anchor('2. Related Work') // '2-related-work'
 */
export function anchor(text: string): string {
  return inlineText(text).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'section';
}

/**
 * Renders blocks to plain text: one paragraph per block, list items as `- item` lines,
 * table rows as `| a | b |` lines, code dropped (it is not prose).
 *
 * @example
 * blocksToText(parseMarkdown('Hello *you*.\n\n- a\n- b').blocks) // 'Hello you.\n\n- a\n- b'
 */
export function blocksToText(blocks: Block[]): string {
  const parts: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
      case 'paragraph':
        parts.push(inlineText(b.text));
        break;
      case 'quote':
        parts.push(blocksToText(b.blocks));
        break;
      case 'list':
        parts.push(b.items.map((item, i) => `${b.ordered ? `${b.start + i}.` : '-'} ${blocksToText(item).replace(/\n\n/g, '\n  ')}`).join('\n'));
        break;
      case 'table':
        parts.push([b.header, ...b.rows].map((r) => `| ${r.map(inlineText).join(' | ')} |`).join('\n'));
        break;
      case 'code':
      case 'rule':
        break;
    }
  }
  return parts.filter((p) => p.trim() !== '').join('\n\n');
}
