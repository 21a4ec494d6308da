import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { escapeHtml } from '../lib/markdown.ts';
import {
  classifyRequirement,
  FilesSchema,
  findPage,
  headingMatches,
  issueParts,
  pageFiles,
  ReviewSchema,
  SpecSchema,
  type Requirement,
  type Spec,
} from '../lib/site.ts';
import { contentTerms, slug } from '../lib/text.ts';

/**
 * The coder works "draft first, refine on review": the first draft (no review yet) builds
 * the core of the spec only — every page with every section, valid HTML with a title, a
 * language and alt text — and leaves the acceptance criteria for later. Each review's
 * issues become change requests (`applied` keys) that the next revision implements on top
 * of all earlier ones, so the site converges instead of oscillating. Keys:
 * `acceptance:<item>`, `page:<name>`, `section:<page>\t<section>`.
 */

const VISUAL = /\b(?:map|photos?|gallery|pictures?|images?|logo|team|bakers|staff|portraits?|hero|illustrations?|venue)\b/i;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const e = escapeHtml;

interface Page {
  name: string;
  file: string;
  sections: string[];
  forms: Array<{ label: string; fields: string[] }>;
  notes: string[];
}

interface Plan {
  pages: Page[];
  nav: boolean;
  responsive: boolean;
  minify: boolean;
  footer: string[] | null;
}

/**
 * Review issues -> change-request keys the coder knows how to act on; the rest are reported back.
 *
 * @example
 * changeRequests(['[acceptance] "Every image must have alt text": ...', '[lang] "a.html": ...'])
 * // { keys: ['acceptance:Every image must have alt text'], unhandled: ['[lang] "a.html": ...'] }
 */
export function changeRequests(issues: readonly string[]): { keys: string[]; unhandled: string[] } {
  const keys: string[] = [];
  const unhandled: string[] = [];
  for (const issue of issues) {
    const { code, params } = issueParts(issue);
    if (code === 'acceptance' && params[0]) keys.push(`acceptance:${params[0]}`);
    else if (code === 'missing-page' && params[0]) keys.push(`page:${params[0]}`);
    else if (code === 'missing-section' && params.length >= 2) keys.push(`section:${params[0]}\t${params[1]}`);
    else unhandled.push(issue);
  }
  return { keys, unhandled };
}

function plan(spec: Spec, keys: readonly string[]): Plan {
  const pages: Page[] = spec.pages.map((p) => ({ name: p.name, file: '', sections: [...p.sections], forms: [], notes: [] }));
  const pageFor = (name: string | undefined): Page => {
    if (name === undefined) return pages[0];
    const i = findPage(pages.map((p) => p.name), name);
    if (i >= 0) return pages[i];
    pages.push({ name: capitalise(name), file: '', sections: [], forms: [], notes: [] });
    return pages[pages.length - 1];
  };
  const out: Plan = { pages, nav: false, responsive: false, minify: false, footer: null };
  for (const key of keys) {
    const [kind, ...rest] = key.split(':');
    const value = rest.join(':');
    if (kind === 'page') pageFor(value);
    else if (kind === 'section') {
      const [page, section] = value.split('\t');
      const p = pageFor(page);
      if (!p.sections.some((s) => headingMatches(s, section))) p.sections.push(section);
    } else if (kind === 'acceptance') apply(classifyRequirement(value), value, out, pageFor);
  }
  const files = pageFiles(pages.map((p) => p.name));
  pages.forEach((p, i) => (p.file = files[i]));
  return out;
}

function apply(r: Requirement, item: string, out: Plan, pageFor: (name: string | undefined) => Page): void {
  switch (r.kind) {
    case 'nav': out.nav = true; break;
    case 'responsive': out.responsive = true; break;
    case 'budget': out.minify = true; break;
    case 'footer': out.footer = [...(out.footer ?? []), ...(r.mention ? [r.mention] : [])]; break;
    case 'form': {
      const label = /([\w-]+)\s+form\b/i.exec(item)?.[1];
      const p = pageFor(r.page);
      p.forms.push({ label: label && !/^(?:a|an|the)$/i.test(label) ? `${label} form` : 'form', fields: r.fields });
      break;
    }
    case 'sections': {
      const p = pageFor(r.page);
      for (const s of r.sections) if (!p.sections.some((x) => headingMatches(x, s))) p.sections.push(s);
      break;
    }
    case 'text': pageFor(r.page).notes.push(item); break;
    // Titles and alt text are part of every draft already.
    case 'title':
    case 'alt':
      break;
  }
}

function illustration(label: string): string {
  // A deterministic tint per label, so pages do not all look alike.
  let h = 0;
  for (const c of label) h = (h * 31 + c.charCodeAt(0)) % 360;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270" viewBox="0 0 480 270" role="img" aria-label="${e(label)}">\n` +
    `  <rect width="480" height="270" rx="12" fill="hsl(${h},45%,92%)"/>\n` +
    `  <circle cx="120" cy="135" r="60" fill="hsl(${h},40%,70%)"/>\n` +
    `  <rect x="210" y="95" width="210" height="18" rx="9" fill="hsl(${h},35%,55%)"/>\n` +
    `  <rect x="210" y="128" width="160" height="14" rx="7" fill="hsl(${h},30%,75%)"/>\n` +
    `  <text x="240" y="235" text-anchor="middle" font-family="sans-serif" font-size="18" fill="hsl(${h},40%,25%)">${e(label)}</text>\n` +
    `</svg>\n`
  );
}

function control(formId: string, field: string): string {
  const name = slug(field);
  const id = `${formId}-${name}`;
  const label = `<label for="${id}">${e(capitalise(field))}</label>`;
  if (/\b(?:message|comments?|notes?|questions?|details|enquiry|description)\b/i.test(field)) return `${label}\n<textarea id="${id}" name="${name}" rows="5" required></textarea>`;
  const type = /\bemail\b/i.test(field) ? 'email' : /\b(?:phone|tel|telephone|mobile)\b/i.test(field) ? 'tel' : /\bdate\b/i.test(field) ? 'date' : 'text';
  return `${label}\n<input id="${id}" name="${name}" type="${type}" required>`;
}

function renderPage(spec: Spec, p: Page, pl: Plan, images: Map<string, string>, skipImages: boolean): string {
  // "Visitors can order a cake" becomes the call to action "Order a cake" in the section it is
  // about; imperatives ("Show the hours on every page") are instructions to us, not content.
  const related = (topic: string) => {
    const terms = new Set(contentTerms(topic));
    return spec.features
      .filter((f) => contentTerms(f).some((t) => terms.has(t)))
      .map((f) => /\b(?:can|could|will be able to|should be able to|are able to|is able to)\s+(.+)$/i.exec(f)?.[1])
      .filter((x): x is string => x !== undefined)
      .map((x) => capitalise(x.replace(/[.!]+$/, '')));
  };
  const usedForms = new Set<number>();
  const sections = p.sections.map((s) => {
    const id = slug(s);
    const parts = [`<section id="${id}">`, `<h2>${e(capitalise(s))}</h2>`];
    const feats = related(s);
    parts.push(`<p>${e(capitalise(s))} at ${e(spec.title)}.</p>`);
    for (const f of feats) parts.push(`<p class="cta">${e(f)}.</p>`);
    if (VISUAL.test(s) && !skipImages) {
      const src = `images/${id}.svg`;
      images.set(src, capitalise(s));
      parts.push(`<figure>\n<img src="${src}" alt="${e(`${capitalise(s)} — ${spec.title}`)}" width="480" height="270">\n</figure>`);
    }
    const fi = p.forms.findIndex((f, i) => !usedForms.has(i) && headingMatches(s, f.label));
    if (fi >= 0) {
      usedForms.add(fi);
      parts.push(renderForm(p.forms[fi], `${id}-form`));
    }
    parts.push('</section>');
    return parts.join('\n');
  });
  p.forms.forEach((f, i) => {
    if (usedForms.has(i)) return;
    const id = slug(f.label);
    sections.push(`<section id="${id}">\n<h2>${e(capitalise(f.label))}</h2>\n${renderForm(f, `${id}-form`)}\n</section>`);
  });
  for (const note of p.notes) sections.push(`<aside class="note">\n<p>${e(note)}.</p>\n</aside>`);

  const nav = pl.nav
    ? `<nav aria-label="Main">\n<ul>\n${pl.pages.map((o) => `<li><a href="${o.file}"${o === p ? ' aria-current="page"' : ''}>${e(o.name)}</a></li>`).join('\n')}\n</ul>\n</nav>\n`
    : '';
  let footer = '';
  if (pl.footer) {
    const lines = pl.footer.map((m) => {
      // Point at the section that holds the detail, if a page has one.
      const host = pl.pages.find((o) => o.sections.some((s) => headingMatches(s, m)));
      const s = host?.sections.find((x) => headingMatches(x, m));
      const link = host && s ? ` — see <a href="${host.file}#${slug(s)}">${e(host.name)}</a>` : '';
      return `<p><strong>${e(capitalise(m))}</strong>${link}</p>`;
    });
    footer = `<footer>\n${lines.join('\n')}\n<p>&copy; ${e(spec.title)}</p>\n</footer>\n`;
  }
  const lead = p.file === 'index.html' ? `<p class="lead">For ${e(spec.audience)}.</p>\n` : '';
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    (pl.responsive ? `<meta name="viewport" content="width=device-width, initial-scale=1">\n` : '') +
    `<title>${e(p.name)} — ${e(spec.title)}</title>\n<link rel="stylesheet" href="style.css">\n</head>\n<body>\n` +
    `<header>\n<p class="site-name">${e(spec.title)}</p>\n${nav}</header>\n` +
    `<main>\n<h1>${e(p.name)}</h1>\n${lead}${sections.join('\n')}\n</main>\n${footer}</body>\n</html>\n`
  );
}

function renderForm(f: { label: string; fields: string[] }, id: string): string {
  return `<form id="${id}" action="#" method="post">\n${f.fields.map((x) => control(id, x)).join('\n')}\n<button type="submit">Send</button>\n</form>`;
}

function stylesheet(pl: Plan): string {
  const css = [
    '/* Generated by the orchestai coder worker. */',
    ':root { --ink: #2b2118; --paper: #fffaf3; --accent: #a4502a; }',
    'body { margin: 0; font: 1rem/1.6 system-ui, sans-serif; color: var(--ink); background: var(--paper); }',
    'header, main, footer { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }',
    '.site-name { font-weight: 700; font-size: 1.25rem; margin: 0; }',
    'nav ul { display: flex; gap: 1rem; list-style: none; padding: 0; margin: .5rem 0 0; }',
    'nav a { color: var(--accent); text-decoration: none; } nav a[aria-current] { text-decoration: underline; }',
    'section { margin: 2rem 0; }',
    'img { max-width: 100%; height: auto; }',
    'form { display: grid; gap: .5rem; max-width: 28rem; }',
    'input, textarea, button { font: inherit; padding: .4rem .6rem; }',
    'footer { border-top: 1px solid #d9cbb8; font-size: .9rem; }',
    '.lead { font-size: 1.15rem; } .cta { font-weight: 600; color: var(--accent); }',
  ];
  if (pl.responsive) {
    css.push('@media (max-width: 600px) {', '  nav ul { flex-direction: column; gap: .25rem; }', '  header, main, footer { padding: .75rem 1rem; }', '  h1 { font-size: 1.6rem; }', '}');
  }
  return css.join('\n') + '\n';
}

/** Collapses what a browser ignores: comments and whitespace between tags and in CSS. */
function minify(text: string, css: boolean): string {
  if (css) return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s*([{};:,>])\s*/g, '$1').replace(/\s+/g, ' ').trim();
  return text.replace(/<!--[\s\S]*?-->/g, '').replace(/>\s+</g, '><').replace(/\s{2,}/g, ' ').trim();
}

/**
 * Builds the site files for a spec and a set of change requests.
 *
 * @example
 * buildSite(spec, [])['index.html'] // '<!DOCTYPE html>\n<html lang="en">...'
 */
export function buildSite(spec: Spec, keys: readonly string[]): Record<string, string> {
  const pl = plan(spec, keys);
  const images = new Map<string, string>();
  const files: Record<string, string> = {};
  for (const p of pl.pages) files[p.file] = renderPage(spec, p, pl, images, pl.minify);
  files['style.css'] = stylesheet(pl);
  for (const [src, label] of images) files[src] = illustration(label);
  if (pl.minify) for (const name of Object.keys(files)) files[name] = minify(files[name], name.endsWith('.css'));
  return files;
}

/**
 * Generates a static website from a spec; given the previous review, implements its
 * issues on top of the change requests already applied.
 *
 * @example
 * const draft = await coderWorker.run({ spec }, ctx);                 // core pages and sections only
 * const next = await coderWorker.run({ spec, review, applied: draft.applied }, ctx); // + the review's fixes
 */
export const coderWorker = defineWorker({
  name: 'coder',
  description: 'Generates a static website (HTML pages, CSS, SVG illustrations) from a product spec; when given a review, revises the site to fix the review issues.',
  input: z.object({
    spec: SpecSchema,
    review: ReviewSchema.optional(),
    applied: z.array(z.string()).optional(),
  }),
  output: z.object({
    files: FilesSchema,
    applied: z.array(z.string()),
    unhandled: z.array(z.string()),
  }),
  retry: { maxAttempts: 1 },
  run({ spec, review, applied }) {
    if (spec.pages.length === 0) throw new Error('coder: spec.pages is empty; there is no page to build');
    const { keys, unhandled } = changeRequests(review?.issues ?? []);
    const all = [...new Set([...(applied ?? []), ...keys])];
    return { files: buildSite(spec, all), applied: all, unhandled };
  },
});
