import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { blocksToText, inlineText, parseMarkdown, type Block } from '../lib/markdown.ts';
import { findPage, pageMentioned, SpecSchema, splitList, type Spec } from '../lib/site.ts';
import { sentences } from '../lib/text.ts';

type Role = 'acceptance' | 'pages' | 'features' | 'audience' | 'other';

/** What a heading says about the statements under it. */
function roleOf(heading: string): Role {
  const h = heading.toLowerCase();
  if (/accept|criteria|definition of done|done when|success|checks?\b|tests?\b/.test(h)) return 'acceptance';
  if (/\bpages?\b|sitemap|site map|structure|navigation/.test(h)) return 'pages';
  if (/feature|functional|requirement|must.?haves?|capabilit|user stor/.test(h)) return 'features';
  if (/audience|users?\b|visitors|customers|who\b/.test(h)) return 'audience';
  return 'other';
}

interface Statement {
  text: string;
  role: Role;
}

/** Flattens the brief into statements (list items and sentences), each tagged with its heading's role. */
function statements(blocks: Block[]): { heading?: string; items: Statement[] } {
  let heading: string | undefined;
  let role: Role = 'other';
  const items: Statement[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') {
      if (heading === undefined && b.level === 1) heading = inlineText(b.text);
      else role = roleOf(inlineText(b.text));
      continue;
    }
    if (b.kind === 'list') {
      for (const item of b.items) for (const s of sentences(blocksToText(item))) items.push({ text: s, role });
      continue;
    }
    for (const s of sentences(blocksToText([b]))) items.push({ text: s, role });
  }
  return { heading, items };
}

const PAGE_VERB = /\bpage\b[^.]*?\b(?:should|must|will|shall|needs? to|has to|can|would)?\s*(?:also\s+)?(?:show|list|include|have|contain|feature|present|display|describe|offer|explain|introduce|hold|with)s?\b\s+(.+)$/i;
const FEATURE = /\b(?:can|could|should be able to|will be able to|be able to|allows?|lets?|enables?)\b/i;
const IMPERATIVE = /^(?:add|allow|show|keep|let|provide|include|offer|display|support|make|use|link|send|enable|highlight|list|give|collect|publish|feature|embed)\b/i;
const TITLE_NOISE = /^(?:(?:website|site|web|project)\s+)?brief\s*[:–—-]\s*|\s*[:–—-]\s*(?:(?:website|site|web)\s+)?brief$/i;

/**
 * What a feature is about: the list after its first verb, with the subject and modal cut.
 * "Visitors can order a cake and book a table" -> ['cake', 'book a table'].
 */
function featureTopics(feature: string): string[] {
  const rest = feature
    .replace(/^.*?\b(?:can|could|should|will|must|may)\s+(?:be able to\s+)?/i, '')
    .replace(/^(?:allow|let|enable)s?\s+\w+\s+(?:to\s+)?/i, '')
    .replace(/^\S+\s+/, '');
  return splitList(rest).map((t) => t.split(/\s+/).slice(0, 4).join(' ')).filter((t) => t.length > 2);
}

/** A name in the brief: two or more capitalised words that do not merely start a sentence. */
function nameIn(texts: string[]): string | undefined {
  for (const t of texts) {
    for (const m of t.matchAll(/(?<=\S\s)(?:[A-Z][\w'&-]*)(?:\s+[A-Z][\w'&-]*)+/g)) {
      if (!/^[A-Z]+$/.test(m[0].replace(/\s/g, ''))) return m[0];
    }
  }
  return undefined;
}

const clean = (s: string) => s.trim().replace(/^(?:[-*+]|\d+[.)])\s+/, '').replace(/\s*[.!]+$/, '').trim();
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Reads a website brief into a spec:
 * - title: the first `#` heading without "brief" noise, else a capitalised name in the text,
 *   else "Website for <audience>";
 * - audience: a sentence under an audience heading, else the phrase after "for"/"aimed at" in
 *   the sentence that names the site;
 * - pages: every "<name> page" sentence outside the acceptance part, its sections the list
 *   after the verb ("should show a, b and c"); "Name: a, b" items under a pages heading;
 *   pages only named elsewhere are added, and a page with no sections gets the features'
 *   topics (the words after their verbs);
 * - features: items under a features heading, else "can"/"able to" sentences and
 *   imperatives that are not page definitions;
 * - acceptance: items under an acceptance heading, plus any other "must" sentence.
 *
 * @example
 * analyseBrief('# Cafe\n\nA website for students.\n\nThe menu page should list drinks and cakes.\n\n## Acceptance\n\n- Every image must have alt text.')
 * // { title: 'Cafe', audience: 'students', pages: [{ name: 'Menu', sections: ['drinks', 'cakes'] }], features: [], acceptance: ['Every image must have alt text'] }
 */
export function analyseBrief(brief: string): Spec {
  const { heading, items } = statements(parseMarkdown(brief).blocks);
  const pages: Spec['pages'] = [];
  const features: string[] = [];
  const acceptance: string[] = [];
  let audience = '';
  const addPage = (name: string, sections: string[]) => {
    const i = findPage(pages.map((p) => p.name), name);
    if (i < 0) pages.push({ name: capitalise(name), sections: [...new Set(sections)] });
    else for (const s of sections) if (!pages[i].sections.includes(s)) pages[i].sections.push(s);
  };
  for (const { text, role } of items) {
    const s = clean(text);
    if (!s) continue;
    if (role === 'acceptance' || (role !== 'pages' && /\bmust\b/i.test(s))) {
      acceptance.push(s);
      continue;
    }
    if (role === 'audience' && !audience) {
      audience = s.replace(/^(?:our\s+)?(?:target\s+)?(?:audience|users|visitors)\s+(?:is|are)\s+/i, '');
      continue;
    }
    const named = /^([A-Z][\w' -]{0,40}?)\s*(?:page)?\s*[:–—]\s*(.+)$/.exec(s);
    if (role === 'pages' && named) {
      addPage(named[1].trim(), splitList(named[2]));
      continue;
    }
    const page = pageMentioned(s);
    const verb = PAGE_VERB.exec(s);
    if (page && (verb || role === 'pages')) {
      addPage(page, verb ? splitList(verb[1]) : []);
      continue;
    }
    if (role === 'pages' && !/\s/.test(s.trim())) {
      addPage(s, []);
      continue;
    }
    // "Make a landing page for our app": the page exists even though nothing says what is on it.
    if (page) addPage(page, []);
    if (role === 'features' || FEATURE.test(s) || IMPERATIVE.test(s)) {
      features.push(s);
      continue;
    }
    if (!audience) {
      const a = /\b(?:website|site|web site|pages?)\b[^.]*?\b(?:for|aimed at|targeting|serving)\s+(.+)$/i.exec(s) ?? /\b(?:aimed at|targeting|audience of)\s+(.+)$/i.exec(s);
      if (a) audience = a[1].replace(/\s+(?:so that|in order to|to help)\b.*$/i, '').trim();
    }
  }
  // A page that only an acceptance item names still has to exist.
  for (const a of acceptance) {
    const p = pageMentioned(a);
    if (p && findPage(pages.map((x) => x.name), p) < 0) addPage(p, []);
  }
  if (pages.length === 0) pages.push({ name: 'Home', sections: [] });
  // Pages nobody described get the features' topics, so the first draft has something to show.
  const topics = [...new Set(features.filter((f) => !pageMentioned(f)).flatMap(featureTopics))];
  for (const p of pages) if (p.sections.length === 0) p.sections.push(...(topics.length ? topics : ['introduction']));
  const title = (heading ?? '').replace(TITLE_NOISE, '').trim() || nameIn(items.map((i) => i.text)) || (audience ? `Website for ${audience.split(/\s+(?:who|that|which|with|in|at)\b|,/)[0].split(/\s+/).slice(0, 4).join(' ')}` : 'Website');
  return { title, audience: audience || 'general visitors', pages, features, acceptance };
}

/**
 * Turns a written website brief into a structured product spec by text analysis.
 *
 * @example
 * await productManagerWorker.run({ brief: readFileSync('fixtures/briefs/bakery.md', 'utf8') }, ctx)
 * // { spec: { title: 'Northside Community Bakery', audience: '...', pages: [...], features: [...], acceptance: [...] } }
 */
export const productManagerWorker = defineWorker({
  name: 'product-manager',
  description: 'Turns a written website brief into a product spec: title, audience, pages with their sections, features and acceptance criteria.',
  input: z.object({ brief: z.string().min(1) }),
  output: z.object({ spec: SpecSchema }),
  retry: { maxAttempts: 1 },
  run({ brief }) {
    return { spec: analyseBrief(brief) };
  },
});
