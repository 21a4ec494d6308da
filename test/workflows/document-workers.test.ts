import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractFiguresWorker } from '../../workflows/workers/extract-figures.ts';
import { extractKeywordsWorker } from '../../workflows/workers/extract-keywords.ts';
import { extractTextWorker } from '../../workflows/workers/extract-text.ts';
import { readFileWorker } from '../../workflows/workers/read-file.ts';
import { renderDeckWorker } from '../../workflows/workers/render-deck.ts';
import { structureSlidesWorker } from '../../workflows/workers/structure-slides.ts';
import { summariseWorker } from '../../workflows/workers/summarise.ts';
import { textRank } from '../../workflows/lib/textrank.ts';
import { sentences as splitSentences } from '../../workflows/lib/text.ts';
import { call, fixture, readFixture, tempDir } from './helpers.ts';

const PAPERS = ['sparse-retrieval.md', 'street-trees.md'];

test('read-file: reads .md/.html with their format; other extensions and missing files fail with the path', async () => {
  const md = await call(readFileWorker, { path: fixture('papers/sparse-retrieval.md') });
  assert.is(md.format, 'markdown');
  assert.ok(md.text.startsWith('# When Is BM25 Enough?'));
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'page.html'), '\uFEFF<title>x</title>');
    const html = await call(readFileWorker, { path: join(dir, 'page.html') });
    assert.is(html.format, 'html');
    assert.is(html.text, '<title>x</title>');
    writeFileSync(join(dir, 'data.pdf'), 'x');
    await call(readFileWorker, { path: join(dir, 'data.pdf') }).then(() => assert.unreachable(), (e) => assert.match(e.message, /data\.pdf: unsupported extension "\.pdf"/));
    await call(readFileWorker, { path: join(dir, 'nope.md') }).then(() => assert.unreachable(), (e) => assert.match(e.message, /cannot read .*nope\.md: ENOENT/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('extract-text: the sample papers have their title and every ## heading as a section', async () => {
  for (const p of PAPERS) {
    const raw = readFixture(`papers/${p}`);
    const doc = await call(extractTextWorker, { text: raw, format: 'markdown' });
    const headings = [...raw.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.is(doc.title, /^# (.+)$/m.exec(raw)![1]);
    assert.equal(doc.sections.map((s: any) => s.heading).filter((h: string) => h !== 'Overview'), headings);
    assert.not.match(doc.text, /\*\*|^#/m);
  }
});

test('summarise: picks sentences of the text, in document order, led by the most central one', async () => {
  const text = [
    'Solar panels convert sunlight into electricity for homes.',
    'Home solar panels lower electricity bills when sunlight is plentiful.',
    'The cat slept on the warm windowsill all afternoon long.',
    'Solar electricity from panels on homes reduces grid demand during sunny hours.',
    'Bananas are rich in potassium and easy to carry around.',
    'Batteries store solar electricity from home panels for the evening.',
  ].join(' ');
  const out = await call(summariseWorker, { text, maxSentences: 2 });
  assert.is(out.sentences.length, 2);
  const all = splitSentences(text);
  for (const s of out.sentences) assert.ok(all.includes(s), `not from the text: ${s}`);
  assert.ok(all.indexOf(out.sentences[0]) < all.indexOf(out.sentences[1]), 'document order');
  for (const offTopic of ['cat', 'Bananas']) assert.not.ok(out.summary.includes(offTopic), `off-topic sentence chosen: ${out.summary}`);
  // The chosen sentences are exactly the two highest TextRank scores.
  const scores = textRank(all);
  const best = scores.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0]).slice(0, 2).map(([, i]) => all[i]);
  assert.equal([...out.sentences].sort(), [...best].sort());
  assert.is(out.summary, out.sentences.join(' '));
});

test('summarise: on a paper it skips captions, tables and references', async () => {
  const doc = await call(extractTextWorker, { text: readFixture('papers/sparse-retrieval.md') });
  const out = await call(summariseWorker, { sections: doc.sections, text: doc.text, maxSentences: 5 });
  assert.is(out.sentences.length, 5);
  for (const s of out.sentences) {
    assert.ok(doc.text.includes(s), s);
    assert.not.match(s, /^(Figure|Table) \d+:|\||Robertson/);
  }
  await call(summariseWorker, {}).then(() => assert.unreachable(), (e) => assert.match(String(e), /needs `text` or `sections`/));
});

test('extract-figures: captions with labels, images merged with the caption next to them', async () => {
  const text = 'Intro.\n\n![Pipeline diagram](img/pipe.svg)\n\n**Figure 1:** The pipeline.\n\nAs Figure 1 shows, it works.\n\nTable 2. Results by model.\n\n<img src="extra.png" alt="Logo">\n\nFig. 3 — A second plot.';
  const out = await call(extractFiguresWorker, { text });
  assert.equal(out.figures, [
    { label: 'Figure 1', caption: 'The pipeline.', src: 'img/pipe.svg' },
    { label: 'Table 2', caption: 'Results by model.' },
    { label: 'Figure 3', caption: 'A second plot.', src: 'extra.png' },
  ]);
});

test('extract-figures: every caption of the sample papers is found', async () => {
  for (const p of PAPERS) {
    const raw = readFixture(`papers/${p}`);
    const doc = await call(extractTextWorker, { text: raw });
    const out = await call(extractFiguresWorker, { sections: doc.sections });
    const expected = [...raw.matchAll(/^\*\*((?:Figure|Table) \d+):\*\*/gm)].map((m) => m[1]);
    assert.equal(out.figures.map((f: any) => f.label), expected);
    assert.is(out.figures.filter((f: any) => f.src).length, (raw.match(/^!\[/gm) ?? []).length);
  }
});

test('extract-keywords: recurring multi-word phrases of the paper, no stop words', async () => {
  const doc = await call(extractTextWorker, { text: readFixture('papers/sparse-retrieval.md') });
  const out = await call(extractKeywordsWorker, { text: doc.text, maxKeywords: 8 });
  assert.is(out.keywords.length, 8);
  assert.ok(out.keywords.includes('reciprocal rank fusion'), out.keywords.join(', '));
  assert.ok(out.keywords.includes('dense retriever'), out.keywords.join(', '));
  const lower = doc.text.toLowerCase();
  for (const k of out.keywords) {
    assert.ok(lower.includes(k), `not in text: ${k}`);
    assert.not.match(k, /^(the|a|of|and)\b|\b(the|of|and)$/);
  }
});

test('structure-slides + render-deck: a real Marp file with one slide per section and figures attached', async () => {
  const doc = await call(extractTextWorker, { text: readFixture('papers/sparse-retrieval.md') });
  const summary = await call(summariseWorker, { sections: doc.sections });
  const figures = await call(extractFiguresWorker, { sections: doc.sections });
  const deck = await call(structureSlidesWorker, { ...doc, ...summary, ...figures, keywords: ['dense retriever'] });
  const titles = deck.slides.map((s: any) => s.title);
  assert.is(titles[0], doc.title);
  assert.is(titles[1], 'Key points');
  for (const h of ['Introduction', 'Results', 'Conclusion']) assert.ok(titles.includes(h), h);
  for (const h of ['References', 'Abstract', 'Overview']) assert.not.ok(titles.includes(h), h);
  const retrievers = deck.slides.find((s: any) => s.title === 'Retrievers');
  assert.is(retrievers.figure.label, 'Figure 1');
  assert.is(deck.slides.find((s: any) => s.title === 'Results').figure.label, 'Figure 2', 'the image wins over Table 2 on the Results slide');
  for (const s of deck.slides.slice(2)) for (const b of s.bullets) assert.ok(b.split(' ').length <= 25, b);

  const dir = tempDir();
  try {
    const out = await call(renderDeckWorker, { ...deck, outDir: dir });
    assert.ok(existsSync(out.path));
    const md = readFileSync(out.path, 'utf8');
    assert.is(out.bytes, Buffer.byteLength(md));
    assert.is(out.slideCount, deck.slides.length);
    assert.ok(md.startsWith('---\nmarp: true\n'));
    assert.is(md.split('\n---\n').length - 1, deck.slides.length, 'front matter end + one separator between slides');
    assert.ok(md.includes('![Figure 1](figures/retrievers.svg)'));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('render-deck: default folder is $ORCHESTAI_HOME/artifacts/<runId>', async () => {
  const dir = tempDir();
  const before = process.env.ORCHESTAI_HOME;
  process.env.ORCHESTAI_HOME = dir;
  try {
    const out = await call(renderDeckWorker, { title: 'T', slides: [{ title: 'T', bullets: ['- tricky', '# not a heading'] }] }, 'run-42');
    assert.is(out.path, join(dir, 'artifacts', 'run-42', 't.slides.md'));
    assert.ok(readFileSync(out.path, 'utf8').includes('- \\- tricky\n- \\# not a heading'));
  } finally {
    if (before === undefined) delete process.env.ORCHESTAI_HOME;
    else process.env.ORCHESTAI_HOME = before;
    rmSync(dir, { recursive: true });
  }
});

test('structure-slides: nothing to put on slides is an error', async () => {
  await call(structureSlidesWorker, { title: 'x' }).then(() => assert.unreachable(), (e) => assert.match(e.message, /neither `sections` nor a `summary`/));
});

test.run();
