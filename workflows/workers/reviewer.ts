import { posix } from 'node:path';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { decodeEntities } from '../lib/document.ts';
import { classifyRequirement, FilesSchema, findPage, headingMatches, pageFiles, q, ReviewSchema, SpecSchema, type Review, type Spec } from '../lib/site.ts';
import { contentTerms, slug } from '../lib/text.ts';

const textOf = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
};
const elements = (html: string, tag: string) => [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}\\s*>`, 'gi'))].map((m) => m[0]);
const headings = (html: string) => [...html.matchAll(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi)].map((m) => textOf(m[2]));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A form control's accessible name: its `<label for>` text or `aria-label`. */
function labelled(form: string, ctrl: string): boolean {
  const id = attr(ctrl, 'id');
  return attr(ctrl, 'aria-label') !== undefined || (id !== undefined && new RegExp(`<label\\b[^>]*\\sfor\\s*=\\s*["']?${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["'\\s>]`, 'i').test(form));
}

/**
 * Reviews a generated site against its spec. Every check counts once towards the score
 * (passed / total); each failed check is one issue `[code] message` with the values that
 * matter in double quotes. Checks:
 * - structure: every spec page exists under its conventional file name, with an `<h2>`/`<h3>`
 *   naming each of its sections;
 * - HTML quality per page: doctype, `<html lang>`, a non-empty `<title>`, alt text on every
 *   image, every local `href`/`src` resolving to a file of the site;
 * - every acceptance item, read with `classifyRequirement` and checked on the markup
 *   (navigation links, form fields with labels and a submit button, footers, viewport +
 *   media query, byte budget, named sections, or the item's terms in the page text).
 *
 * @example
 * review(spec, { 'index.html': '<!DOCTYPE html><html lang="en">...' })
 * // { approved: false, issues: ['[missing-page] page "Menu" (menu.html) is missing', ...], score: 0.8 }
 */
export function review(spec: Spec, files: Record<string, string>): Review {
  const issues: string[] = [];
  let total = 0;
  const check = (ok: boolean, issue: () => string) => {
    total++;
    if (!ok) issues.push(issue());
  };
  const names = spec.pages.map((p) => p.name);
  const fileOf = pageFiles(names);
  const htmlFiles = Object.keys(files).filter((f) => /\.html?$/i.test(f)).sort();

  spec.pages.forEach((p, i) => {
    const html = files[fileOf[i]];
    check(html !== undefined, () => `[missing-page] page ${q(p.name)} (${fileOf[i]}) is missing`);
    if (html === undefined) return;
    const hs = headings(html);
    for (const s of p.sections) check(hs.some((h) => headingMatches(h, s)), () => `[missing-section] page ${q(p.name)} has no section ${q(s)} (${fileOf[i]})`);
  });

  for (const f of htmlFiles) {
    const html = files[f];
    check(/^\s*<!doctype html>/i.test(html), () => `[doctype] ${q(f)} does not start with <!DOCTYPE html>`);
    check(/<html\b[^>]*\slang\s*=\s*["']?[a-z]/i.test(html), () => `[lang] ${q(f)}: <html> has no lang attribute`);
    check(textOf(/<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '') !== '', () => `[title] ${q(f)} has no <title>`);
    const noAlt = (html.match(/<img\b[^>]*>/gi) ?? []).filter((t) => !(attr(t, 'alt') ?? '').trim()).length;
    check(noAlt === 0, () => `[alt-text] ${q(f)} has ${plural(noAlt, 'image')} without alt text`);
    const broken = [...html.matchAll(/\s(?:href|src)\s*=\s*["']([^"']*)["']/gi)]
      .map((m) => decodeEntities(m[1]))
      .filter((u) => u !== '' && !/^(?:[a-z][a-z0-9+.-]*:|#|\/\/)/i.test(u))
      .map((u) => posix.normalize(posix.join(posix.dirname(f), u.replace(/[?#].*$/, ''))))
      .filter((u) => !(u in files));
    check(broken.length === 0, () => `[broken-link] ${q(f)} links to ${broken.map(q).join(', ')}, not in the site`);
  }

  const pageHtml = (name: string | undefined) => {
    if (name === undefined) return undefined;
    const i = findPage(names, name);
    return i >= 0 ? { file: fileOf[i], html: files[fileOf[i]] } : undefined;
  };
  const css = Object.keys(files).filter((f) => f.endsWith('.css')).map((f) => files[f]).join('\n');
  for (const item of spec.acceptance) {
    const r = classifyRequirement(item);
    const fail = (why: string) => () => `[acceptance] ${q(item)}: ${why}`;
    switch (r.kind) {
      case 'budget': {
        const bytes = Object.values(files).reduce((a, t) => a + Buffer.byteLength(t), 0);
        check(bytes <= r.bytes, fail(`the site is ${bytes} bytes, over the ${r.bytes}-byte budget`));
        break;
      }
      case 'alt': {
        const bad = htmlFiles.filter((f) => (files[f].match(/<img\b[^>]*>/gi) ?? []).some((t) => !(attr(t, 'alt') ?? '').trim()));
        check(bad.length === 0, fail(`images without alt text in ${bad.join(', ')}`));
        break;
      }
      case 'nav': {
        const missing = htmlFiles.flatMap((f) => {
          const nav = elements(files[f], 'nav').join('\n');
          if (!nav) return [`${f} has no <nav>`];
          const links = new Set([...nav.matchAll(/href\s*=\s*["']([^"'#?]*)/gi)].map((m) => m[1]));
          const absent = htmlFiles.filter((o) => o !== f && !links.has(o));
          return absent.length ? [`${f}'s <nav> lacks ${absent.join(', ')}`] : [];
        });
        check(missing.length === 0, fail(missing.join('; ')));
        break;
      }
      case 'responsive': {
        const noViewport = htmlFiles.filter((f) => !/<meta\b[^>]*name\s*=\s*["']?viewport/i.test(files[f]));
        const media = /@media\b[^{]*\((?:max|min)-width/i.test(css);
        check(noViewport.length === 0 && media, fail([noViewport.length ? `no viewport meta in ${noViewport.join(', ')}` : '', media ? '' : 'no width media query in the CSS'].filter(Boolean).join('; ')));
        break;
      }
      case 'form': {
        const target = pageHtml(r.page);
        const where = target ? [target] : htmlFiles.map((f) => ({ file: f, html: files[f] }));
        const problems: string[] = [];
        if (r.page && !target) problems.push(`there is no ${r.page} page`);
        const forms = where.filter((w) => w.html !== undefined).flatMap((w) => elements(w.html, 'form').map((form) => ({ file: w.file, form })));
        if (forms.length === 0) problems.push(`${target ? target.file : 'the site'} has no <form>`);
        else {
          const best = forms
            .map(({ file, form }) => {
              const ctrls = form.match(/<(?:input|textarea|select)\b[^>]*>/gi) ?? [];
              const missing = r.fields.filter((fl) => !ctrls.some((c) => [attr(c, 'name'), attr(c, 'id')].some((v) => v !== undefined && (slug(v) === slug(fl) || slug(v).endsWith(`-${slug(fl)}`)))));
              const unlabelled = ctrls.filter((c) => !/type\s*=\s*["']?(?:submit|hidden|button)/i.test(c) && !labelled(form, c)).length;
              const submit = /<button\b(?![^>]*type\s*=\s*["']?(?:button|reset))[^>]*>|<input\b[^>]*type\s*=\s*["']?submit/i.test(form);
              return { file, missing, unlabelled, submit, bad: missing.length + unlabelled + (submit ? 0 : 1) };
            })
            .sort((a, b) => a.bad - b.bad)[0];
          if (best.missing.length) problems.push(`the form in ${best.file} has no ${best.missing.map(q).join(', ')} field`);
          if (best.unlabelled) problems.push(`${plural(best.unlabelled, 'control')} without a label in ${best.file}`);
          if (!best.submit) problems.push(`the form in ${best.file} has no submit button`);
        }
        check(problems.length === 0, fail(problems.join('; ')));
        break;
      }
      case 'footer': {
        const bad = htmlFiles.filter((f) => {
          const footer = elements(files[f], 'footer').join(' ');
          if (!footer) return true;
          if (!r.mention) return false;
          const have = new Set(contentTerms(textOf(footer)));
          return !contentTerms(r.mention).every((t) => have.has(t));
        });
        check(bad.length === 0, fail(`${bad.join(', ')} ${bad.length === 1 ? 'has' : 'have'} no <footer>${r.mention ? ` mentioning ${r.mention}` : ''}`));
        break;
      }
      case 'title': {
        const titles = htmlFiles.map((f) => textOf(/<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(files[f])?.[1] ?? ''));
        check(titles.every(Boolean) && new Set(titles).size === titles.length, fail('page titles are missing or not distinct'));
        break;
      }
      case 'sections': {
        const target = pageHtml(r.page);
        const hs = target?.html ? headings(target.html) : [];
        const missing = r.sections.filter((s) => !hs.some((h) => headingMatches(h, s)));
        check(target?.html !== undefined && missing.length === 0, fail(target?.html ? `${target.file} has no section ${missing.map(q).join(', ')}` : `there is no ${r.page} page`));
        break;
      }
      case 'text': {
        const target = pageHtml(r.page);
        const body = target?.html ?? htmlFiles.map((f) => files[f]).join('\n');
        const have = new Set(contentTerms(textOf(body)));
        const missing = r.terms.filter((t) => !contentTerms(t).every((x) => have.has(x)));
        check(missing.length === 0, fail(`${target ? target.file : 'the site'} never mentions ${missing.join(', ')}`));
        break;
      }
    }
  }
  const score = total === 0 ? 0 : Math.round(((total - issues.length) / total) * 1000) / 1000;
  return { approved: issues.length === 0 && total > 0, issues, score };
}

/**
 * Reviews a generated website against the spec's acceptance criteria and basic HTML quality.
 *
 * @example
 * await reviewerWorker.run({ files, spec }, ctx)
 * // { review: { approved: false, issues: ['[acceptance] "Every image must have alt text": ...'], score: 0.93 } }
 */
export const reviewerWorker = defineWorker({
  name: 'reviewer',
  description: "Reviews a generated website against the spec: every page and section present, title, lang, alt text, links resolve, and each acceptance criterion; returns approved, the issues found and a score.",
  input: z.object({ files: FilesSchema, spec: SpecSchema }),
  output: z.object({ review: ReviewSchema }),
  retry: { maxAttempts: 1 },
  run({ files, spec }) {
    if (Object.keys(files).length === 0) throw new Error('reviewer: `files` is empty; there is no site to review');
    return { review: review(spec, files) };
  },
});
