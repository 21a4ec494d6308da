import { z } from 'zod';
import { contentTerms, slug, stem, STOPWORDS, words } from './text.ts';

/**
 * The website vocabulary shared by product-manager, coder and reviewer: the spec and
 * review shapes, the page-to-file convention, and the reading of an acceptance item as a
 * checkable requirement. Coder and reviewer both read acceptance items through
 * `classifyRequirement`, the way two engineers read the same spec; neither calls the other.
 */

export const SpecSchema = z.object({
  title: z.string(),
  audience: z.string(),
  pages: z.array(z.object({ name: z.string(), sections: z.array(z.string()) })),
  features: z.array(z.string()),
  acceptance: z.array(z.string()),
});
export type Spec = z.infer<typeof SpecSchema>;

export const ReviewSchema = z.object({
  approved: z.boolean(),
  issues: z.array(z.string()),
  score: z.number().min(0).max(1),
});
export type Review = z.infer<typeof ReviewSchema>;

export const FilesSchema = z.record(z.string(), z.string());

const HOME = /^(?:home|homepage|home page|index|landing|main|start)$/i;

/**
 * File name of each page: the home page (or, without one, the first page) is `index.html`,
 * the others `<slug>.html`; a slug clash gets a numeric suffix.
 *
 * @example
 * pageFiles(['Menu', 'Home', 'About us']) // ['menu.html', 'index.html', 'about-us.html']
 */
export function pageFiles(names: readonly string[]): string[] {
  const homeAt = Math.max(0, names.findIndex((n) => HOME.test(n.trim())));
  const used = new Set<string>(['index']);
  return names.map((n, i) => {
    if (i === homeAt) return 'index.html';
    let base = slug(n);
    for (let k = 2; used.has(base); k++) base = `${slug(n)}-${k}`;
    used.add(base);
    return `${base}.html`;
  });
}

/**
 * Splits an English list ("a map, the address and a form") into items without articles.
 *
 * @example
 * splitList('a welcome message, our story and opening hours.') // ['welcome message', 'our story', 'opening hours']
 */
export function splitList(text: string): string[] {
  return text
    .replace(/[.!;:]+\s*$/, '')
    .split(/\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*;\s*/i)
    .map((s) => s.trim().replace(/^(?:a|an|the|some|any|its|their|your)\s+/i, '').trim())
    .filter((s) => s !== '');
}

const DETERMINERS = new Set(['a', 'an', 'the', 'our', 'your', 'their', 'its', 'my', 'his', 'her', 'no', 'of', 'on', 'to', 'in', 'from', 'and', 'or', 'per', 'by', 'for', 'with', 'at', 'is', 'be']);
const NOT_PAGE_NAMES = new Set(['every', 'each', 'other', 'this', 'that', 'web', 'new', 'separate', 'own', 'single', 'same', 'one', 'any', 'all']);

/**
 * The page a sentence talks about ("The contact page must ..." -> "contact"), if any:
 * up to two words before "page" that are neither function words nor quantifiers.
 *
 * @example
 * pageMentioned('The case studies page lists three projects.') // 'case studies'
 */
export function pageMentioned(sentence: string): string | undefined {
  const m = /\bpage\b/i.exec(sentence);
  if (!m) return undefined;
  const before = sentence.slice(0, m.index).trim().split(/\s+/);
  const name: string[] = [];
  while (before.length && name.length < 2) {
    const w = before.pop()!.replace(/[^\p{L}\p{N}'-]/gu, '');
    const lw = w.toLowerCase();
    // "about page" and "about us page" are page names, although "about" is a function word elsewhere.
    const functionWord = name.length === 0 ? DETERMINERS.has(lw) : STOPWORDS.has(lw) && lw !== 'about';
    if (!w || functionWord || NOT_PAGE_NAMES.has(lw) || /['’]s$/.test(lw)) break;
    name.unshift(w);
  }
  return name.length ? name.join(' ') : undefined;
}

export type Requirement =
  | { kind: 'budget'; bytes: number }
  | { kind: 'alt' }
  | { kind: 'nav' }
  | { kind: 'responsive' }
  | { kind: 'form'; page?: string; fields: string[] }
  | { kind: 'footer'; mention?: string }
  | { kind: 'title' }
  | { kind: 'sections'; page?: string; sections: string[] }
  | { kind: 'text'; page?: string; terms: string[] };

const UNITS: Record<string, number> = { b: 1, byte: 1, bytes: 1, kb: 1024, kib: 1024, kilobyte: 1024, kilobytes: 1024, mb: 1024 * 1024, megabyte: 1024 * 1024, megabytes: 1024 * 1024 };
const VERB = String.raw`(?:must|should|shall|will|needs? to|has to)\s+(?:also\s+)?(?:include|show|have|list|contain|feature|display|present|offer|describe|explain|introduce)s?`;
// Words that say where a requirement applies, not what it asks for.
const GENERIC = new Set(['site', 'website', 'page', 'every', 'visitor', 'user', 'must', 'should', 'need', 'work', 'show', 'include', 'have', 'contain', 'display', 'mention', 'answer'].map(stem));

/**
 * Reads an acceptance item as one checkable requirement. Recognised, in this order:
 * a size budget ("under 2 KB"), alt text, navigation, a form
 * (with "with x, y and z fields"), mobile/responsive layout, a footer (with "with <mention>"), page titles, sections
 * a named page must show ("The about page must include our story and the team"); anything
 * else must at least be talked about: its content terms must appear in the page's text.
 *
 * @example
 * classifyRequirement('The contact page must include a contact form with name, email and message fields.')
 * // { kind: 'form', page: 'contact', fields: ['name', 'email', 'message'] }
 */
export function classifyRequirement(item: string): Requirement {
  const s = item.trim();
  const budget = /\b(?:under|less than|at most|no more than|below|within|smaller than|lighter than)\s+(\d+(?:\.\d+)?)\s*(kib|kb|kilobytes?|mb|megabytes?|bytes?|b)\b/i.exec(s);
  if (budget) return { kind: 'budget', bytes: Math.floor(parseFloat(budget[1]) * UNITS[budget[2].toLowerCase()]) };
  if (/\balt(?:ernative)?[- ]text\b|\balt attributes?\b|\btext alternatives?\b/i.test(s)) return { kind: 'alt' };
  if (/\bnavigation\b|\bnav\s?bar\b|\bmenu bar\b|\blinks? to every other page\b/i.test(s)) return { kind: 'nav' };
  if (/\bform\b/i.test(s)) {
    const f = /\bwith\s+(?:(?:the|a|an)\s+)?(.+?)\s+(?:fields?|inputs?|boxes)\b/i.exec(s);
    return { kind: 'form', page: pageMentioned(s), fields: f ? splitList(f[1]).map((x) => x.toLowerCase()) : ['name', 'email', 'message'] };
  }
  if (/\bmobile\b|\bresponsive\b|\bsmall screens?\b|\bphones?\b|\btablets?\b/i.test(s)) return { kind: 'responsive' };
  if (/\bfooter\b/i.test(s)) {
    const m = /\bfooter\s+(?:with|showing|that shows|containing|listing|mentioning|including)\s+(.+?)\s*[.!]?$/i.exec(s);
    const mention = m ? splitList(m[1]).join(' and ') : undefined;
    return mention ? { kind: 'footer', mention } : { kind: 'footer' };
  }
  if (/\b(?:titles?|<title>)\b/i.test(s) && /\bpages?\b/i.test(s)) return { kind: 'title' };
  const sec = new RegExp(String.raw`\bpage\s+${VERB}\s+(.+)$`, 'i').exec(s);
  const page = pageMentioned(s);
  if (sec && page) return { kind: 'sections', page, sections: splitList(sec[1]) };
  const pageTerms = new Set(page ? contentTerms(page) : []);
  const terms = words(s).filter((w) => !STOPWORDS.has(w) && w.length > 2 && !/^\d/.test(w) && !GENERIC.has(stem(w)) && !pageTerms.has(stem(w)));
  return { kind: 'text', page, terms: [...new Set(terms)] };
}

/**
 * Whether `heading` names `wanted`: every content stem of `wanted` occurs in the heading.
 *
 * @example
 * headingMatches('Our Bakers', 'the bakers') // true
 */
export function headingMatches(heading: string, wanted: string): boolean {
  const have = new Set(contentTerms(heading));
  const need = contentTerms(wanted);
  return need.length > 0 ? need.every((t) => have.has(t)) : heading.trim().toLowerCase() === wanted.trim().toLowerCase();
}

/**
 * Index of the spec page a requirement's page name refers to, or -1.
 *
 * @example
 * findPage(['Home', 'Contact us'], 'contact') // 1
 */
export function findPage(pages: readonly string[], name: string): number {
  const exact = pages.findIndex((p) => p.toLowerCase() === name.toLowerCase());
  if (exact >= 0) return exact;
  if (HOME.test(name)) {
    const home = pages.findIndex((p) => HOME.test(p));
    if (home >= 0) return home;
  }
  const byTerms = pages.findIndex((p) => headingMatches(p, name) || headingMatches(name, p));
  if (byTerms >= 0) return byTerms;
  // Names made of function words only ("about me" vs "me") have no content terms to compare.
  const words = (s: string) => s.toLowerCase().split(/\s+/);
  return pages.findIndex((p) => {
    const [a, b] = [words(p), words(name)];
    const [long, short] = a.length >= b.length ? [a, b] : [b, a];
    return long.slice(long.length - short.length).join(' ') === short.join(' ');
  });
}

/**
 * Quoted parameters of a review issue, in order: issues are `[code] message` with the
 * values that matter in double quotes, so a coder can act on them without prose parsing.
 *
 * @example
 * issueParts('[acceptance] "Every image must have alt text": menu.html has 1 image without alt')
 * // { code: 'acceptance', params: ['Every image must have alt text'] }
 */
export function issueParts(issue: string): { code: string; params: string[] } {
  const code = /^\[([a-z-]+)\]/.exec(issue)?.[1] ?? '';
  const params = [...issue.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  return { code, params };
}

/**
 * Quotes a value for an issue string (JSON string escaping, so `issueParts` can read it back).
 *
 * @example
 * q('say "hi"') // '"say \\"hi\\""'
 */
export function q(value: string): string {
  return JSON.stringify(value);
}
