import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyRequirement, issueParts, pageFiles } from '../../workflows/lib/site.ts';
import { coderWorker } from '../../workflows/workers/coder.ts';
import { analyseBrief, productManagerWorker } from '../../workflows/workers/product-manager.ts';
import { review, reviewerWorker } from '../../workflows/workers/reviewer.ts';
import { writeFilesWorker } from '../../workflows/workers/write-files.ts';
import { call, readFixture, tempDir } from './helpers.ts';

const bakery = () => analyseBrief(readFixture('briefs/bakery.md'));

test('product-manager: pages, sections, audience, features and acceptance come from the brief text', async () => {
  const { spec } = await call(productManagerWorker, { brief: readFixture('briefs/bakery.md') });
  assert.is(spec.title, 'Northside Community Bakery');
  assert.match(spec.audience, /^local families, office workers and cafés/);
  assert.equal(spec.pages.map((p: any) => p.name), ['Home', 'Menu', 'About', 'Contact']);
  assert.equal(spec.pages[3].sections, ['address', 'map', 'contact form']);
  assert.equal(spec.pages[2].sections, ['our story', 'bakers', 'our flour mills']);
  assert.is(spec.acceptance.length, 5);
  assert.ok(spec.acceptance.every((a: string) => /\bmust\b/.test(a)));
  assert.ok(spec.features.includes('Cafés can request the wholesale price list'));
});

test('product-manager: a different brief, in prose with no headings, gives a different spec', () => {
  const spec = analyseBrief('We need a site for hikers who plan day trips. The routes page should list easy walks, hard climbs and river paths. Visitors can download GPX tracks. The FAQ page must answer questions about parking.');
  assert.is(spec.title, 'Website for hikers');
  assert.is(spec.audience, 'hikers who plan day trips');
  // FAQ is only named by an acceptance item; with nothing said about it, it gets the features' topics.
  assert.equal(spec.pages, [{ name: 'Routes', sections: ['easy walks', 'hard climbs', 'river paths'] }, { name: 'FAQ', sections: ['GPX tracks'] }]);
  assert.equal(spec.features, ['Visitors can download GPX tracks']);
  assert.equal(spec.acceptance, ['The FAQ page must answer questions about parking']);
});

test('product-manager: "Name: a, b" page lists, "about me" pages, a page named without a verb', () => {
  const portfolio = analyseBrief('# Portfolio\n\nA portfolio website aimed at design recruiters.\n\n## Pages\n\n- Home: introduction, selected work\n- About me: biography, CV download\n\n## Acceptance\n\n- The about me page must include a photo gallery.');
  assert.equal(portfolio.pages, [{ name: 'Home', sections: ['introduction', 'selected work'] }, { name: 'About me', sections: ['biography', 'CV download'] }]);
  assert.is(portfolio.audience, 'design recruiters');
  const landing = analyseBrief('Make a landing page for our app. It should explain pricing and let users sign up.');
  assert.equal(landing.pages, [{ name: 'Landing', sections: ['pricing', 'let users sign up'] }]);
});

test('classifyRequirement reads acceptance items as checks', () => {
  assert.equal(classifyRequirement('The whole site must weigh less than 2 KB'), { kind: 'budget', bytes: 2048 });
  assert.equal(classifyRequirement('The volunteer page must include a sign-up form with name, phone and preferred shift fields'), { kind: 'form', page: 'volunteer', fields: ['name', 'phone', 'preferred shift'] });
  assert.equal(classifyRequirement('The about page must include our story and the team.'), { kind: 'sections', page: 'about', sections: ['our story', 'team'] });
  assert.equal(classifyRequirement('Every page must have a footer with the opening hours'), { kind: 'footer', mention: 'opening hours' });
  assert.is(classifyRequirement('It must work on phones').kind, 'responsive');
  assert.is(classifyRequirement('The FAQ page must answer questions about parking').kind, 'text');
});

test('pageFiles: home is index.html whatever its position; clashes get suffixes', () => {
  assert.equal(pageFiles(['Menu', 'Home', 'About us', 'About-us']), ['menu.html', 'index.html', 'about-us.html', 'about-us-2.html']);
  assert.equal(pageFiles(['Routes', 'FAQ']), ['index.html', 'faq.html']);
});

test('coder draft: every spec page and section is there, acceptance items are not yet', async () => {
  const spec = bakery();
  const draft = await call(coderWorker, { spec });
  assert.equal(draft.applied, []);
  const files = pageFiles(spec.pages.map((p) => p.name));
  for (const [i, page] of spec.pages.entries()) {
    const html: string = draft.files[files[i]];
    assert.ok(html, `missing ${files[i]}`);
    assert.match(html, new RegExp(`<title>${page.name} — Northside Community Bakery</title>`));
    for (const s of page.sections) assert.ok(html.toLowerCase().includes(`>${s.toLowerCase()}</h2>`), `${files[i]} lacks ${s}`);
    assert.not.match(html, /<nav|<form|<footer/);
  }
  assert.ok(draft.files['images/map.svg'].startsWith('<svg'));
  assert.match(draft.files['contact.html'], /<img src="images\/map.svg" alt="Map — Northside Community Bakery"/);
});

test('reviewer: rejects the draft for the unmet acceptance items only, then approves the revision', async () => {
  const spec = bakery();
  const draft = await call(coderWorker, { spec });
  const first = (await call(reviewerWorker, { files: draft.files, spec })).review;
  assert.is(first.approved, false);
  assert.is(first.issues.length, 4);
  assert.ok(first.issues.every((i: string) => i.startsWith('[acceptance] ')));
  assert.equal(first.issues.map((i: string) => issueParts(i).params[0]), spec.acceptance.filter((a) => !/alt text/.test(a)));
  assert.ok(first.score > 0.8 && first.score < 1);

  const revised = await call(coderWorker, { spec, review: first, applied: draft.applied });
  assert.is(revised.applied.length, 4);
  const second = (await call(reviewerWorker, { files: revised.files, spec })).review;
  assert.equal(second, { approved: true, issues: [], score: 1 });
  assert.match(revised.files['contact.html'], /<form[^>]*>[\s\S]*name="email" type="email"[\s\S]*<button type="submit">/);
  assert.match(revised.files['style.css'], /@media \(max-width: 600px\)/);
});

test('reviewer: flags a missing section, missing alt text, a broken link and a missing lang', () => {
  const spec = bakery();
  const keys = spec.acceptance.map((a) => `acceptance:${a}`);
  return call(coderWorker, { spec, applied: keys }).then(({ files }) => {
    assert.is(review(spec, files).approved, true);
    const broken = { ...files };
    broken['about.html'] = broken['about.html'].replace('<h2>Bakers</h2>', '<h2>Bread</h2>').replace(/ alt="[^"]*"/, '');
    broken['menu.html'] = broken['menu.html'].replace('<html lang="en">', '<html>').replace('href="style.css"', 'href="styles.css"');
    const r = review(spec, broken);
    assert.is(r.approved, false);
    const codes = r.issues.map((i) => issueParts(i).code).sort();
    assert.equal(codes, ['acceptance', 'alt-text', 'broken-link', 'lang', 'missing-section']);
    assert.ok(r.issues.includes('[missing-section] page "About" has no section "bakers" (about.html)'), r.issues.join('\n'));
    assert.ok(r.issues.some((i) => i.startsWith('[broken-link] "menu.html" links to "styles.css"')));
    assert.ok(r.issues.some((i) => i.startsWith('[acceptance] "Every image must have alt text"')));
  });
});

test('coder: a missing-section issue is implemented and kept in later revisions', async () => {
  const spec = bakery();
  const rev = await call(coderWorker, { spec, review: { approved: false, score: 0.5, issues: ['[missing-section] page "Menu" has no section "gluten-free loaves" (menu.html)', '[doctype] "x.html" is odd'] } });
  assert.match(rev.files['menu.html'], /<h2>Gluten-free loaves<\/h2>/);
  assert.equal(rev.unhandled, ['[doctype] "x.html" is odd']);
  const later = await call(coderWorker, { spec, review: { approved: false, score: 0.9, issues: [] }, applied: rev.applied });
  assert.match(later.files['menu.html'], /<h2>Gluten-free loaves<\/h2>/);
});

test('the impossible brief is never approved: the byte budget cannot be met even minified', async () => {
  const spec = analyseBrief(readFixture('briefs/impossible.md'));
  let site = await call(coderWorker, { spec });
  const sizes: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const r = review(spec, site.files);
    assert.is(r.approved, false);
    sizes.push(Object.values(site.files as Record<string, string>).reduce((a, t) => a + Buffer.byteLength(t), 0));
    if (pass > 0) assert.equal(r.issues.map((i) => issueParts(i).params[0]), [spec.acceptance[3]]);
    site = await call(coderWorker, { spec, review: r, applied: site.applied });
  }
  assert.ok(sizes[1] > 2048, `${sizes}`);
  assert.not.match(site.files['index.html'], />\s+</, 'the coder minified the HTML on review');
});

test('write-files: writes every file under outDir, refuses paths that escape it', async () => {
  const dir = tempDir();
  try {
    const out = await call(writeFilesWorker, { files: { 'b.html': '<p>b</p>', 'img/a.svg': '<svg/>' }, outDir: dir });
    assert.equal(out, { paths: [join(dir, 'b.html'), join(dir, 'img/a.svg')], outDir: dir });
    assert.is(readFileSync(join(dir, 'img/a.svg'), 'utf8'), '<svg/>');
    await call(writeFilesWorker, { files: { '../evil.txt': 'x' }, outDir: dir }).then(() => assert.unreachable(), (e) => assert.match(e.message, /"\.\.\/evil\.txt" escapes the output folder/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.run();
