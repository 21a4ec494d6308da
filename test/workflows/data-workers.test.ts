import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeReportWorker } from '../../workflows/workers/compose-report.ts';
import { csvStatsWorker } from '../../workflows/workers/csv-stats.ts';
import { markdownToHtmlWorker } from '../../workflows/workers/markdown-to-html.ts';
import { niceStep, renderChartWorker } from '../../workflows/workers/render-chart.ts';
import { sentimentWorker } from '../../workflows/workers/sentiment.ts';
import { textStatsWorker } from '../../workflows/workers/text-stats.ts';
import { call, tempDir } from './helpers.ts';

const CSV = 'city,"mean temp, °C",rainy,notes\nLeeds,11.5,true,"said ""wet"""\nYork,13,false,\n"Hull, East",9.5,true,coastal\n';

test('csv-stats: quoted headers and fields, typed columns with count/mean/min/max', async () => {
  const out = await call(csvStatsWorker, { csv: CSV });
  assert.equal(out.columns, [
    { name: 'city', type: 'string', count: 3 },
    { name: 'mean temp, °C', type: 'number', count: 3, mean: 34 / 3, min: 9.5, max: 13 },
    { name: 'rainy', type: 'boolean', count: 3 },
    { name: 'notes', type: 'string', count: 2 },
  ]);
  assert.equal(out.rows[0], { city: 'Leeds', 'mean temp, °C': 11.5, rainy: true, notes: 'said "wet"' });
  assert.is(out.rows[1].notes, null);
  assert.is(out.rows[2].city, 'Hull, East');
  const semi = await call(csvStatsWorker, { csv: 'a;b\n1;2\n3;4' });
  assert.equal(semi.columns.map((c: any) => c.mean), [2, 3]);
});

test('csv-stats: ragged rows and duplicate headers are errors naming the row', async () => {
  await call(csvStatsWorker, { csv: 'a,b\n1,2\n3' }).then(() => assert.unreachable(), (e) => assert.match(e.message, /data row 2 has 1 fields, the header has 2/));
  await call(csvStatsWorker, { csv: 'a,a\n1,2' }).then(() => assert.unreachable(), (e) => assert.match(e.message, /column name "a" appears twice/));
});

test('render-chart: one bar per numeric value, widths proportional, labels escaped', async () => {
  const table = await call(csvStatsWorker, { csv: 'name,score\nA&B,10\nC,20\nD,-5\nE,' });
  const dir = tempDir();
  try {
    const out = await call(renderChartWorker, { ...table, outDir: dir });
    assert.is(out.path, join(dir, 'chart-score.svg'));
    const svg = readFileSync(out.path, 'utf8');
    assert.is(out.bytes, Buffer.byteLength(svg));
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="22" fill="(#\w+)">/g)];
    assert.is(bars.length, 3, 'the empty value is skipped');
    const widths = bars.map((b) => Number(b[2]));
    assert.ok(Math.abs(widths[1] / widths[0] - 2) < 0.01, `${widths}`);
    assert.ok(Math.abs(widths[0] / widths[2] - 2) < 0.01, `${widths}`);
    assert.is(bars[2][3], '#c0504d', 'negative bar in red');
    assert.ok(svg.includes('>A&amp;B</text>'));
    await call(renderChartWorker, { columns: [{ name: 'x', type: 'string' }], rows: [], outDir: dir }).then(() => assert.unreachable(), (e) => assert.match(e.message, /no numeric column to plot \(columns: x:string\)/));
  } finally {
    rmSync(dir, { recursive: true });
  }
  assert.is(niceStep(0, 87, 5), 20);
  assert.is(niceStep(-5, 20, 5), 5);
});

test('sentiment: lexicon polarity, negation flips, boosters scale, "but" shifts weight', async () => {
  const s = async (text: string) => (await call(sentimentWorker, { text })).sentiment;
  assert.is((await s('The staff were friendly and the bread was delicious.')).label, 'positive');
  assert.is((await s('The delivery was late and the cake was stale.')).label, 'negative');
  assert.is((await s('The shop opens at nine.')).label, 'neutral');
  const good = await s('The bread was good.');
  const notGood = await s('The bread was not good.');
  const veryGood = await s('The bread was very good.');
  assert.ok(good.score > 0 && notGood.score < 0, `${good.score} ${notGood.score}`);
  assert.ok(Math.abs(notGood.score) < good.score, 'negation weakens as well as flips');
  assert.ok(veryGood.score > good.score);
  assert.is((await s("It isn't bad at all.")).label, 'positive');
  assert.is((await s('The room was lovely but the service was terrible.')).label, 'negative');
});

test('text-stats: counts and Flesch reading ease order easy above hard text', async () => {
  const easy = (await call(textStatsWorker, { text: 'The cat sat on the mat. It was a big cat. We fed it.' })).stats;
  assert.is(easy.words, 14);
  assert.is(easy.sentences, 3);
  assert.ok(easy.fleschReadingEase > 90, `${easy.fleschReadingEase}`);
  const hard = (await call(textStatsWorker, { text: 'Institutional accountability necessitates comprehensive organisational documentation, particularly regarding interdepartmental communication.' })).stats;
  assert.ok(hard.fleschReadingEase < 0, `${hard.fleschReadingEase}`);
  assert.ok(hard.avgSyllablesPerWord > easy.avgSyllablesPerWord);
});

test('markdown-to-html: structure, inline markup, escaping and unsafe links', async () => {
  const { html } = await call(markdownToHtmlWorker, { markdown: '# Title\n\nSome **bold**, *em* and `a<b`.\n\n1. one\n2. two\n\n> quoted\n\n[x](javascript:alert(1)) <script>bad()</script>' });
  assert.ok(html.startsWith('<h1 id="title">Title</h1>'));
  assert.ok(html.includes('<p>Some <strong>bold</strong>, <em>em</em> and <code>a&lt;b</code>.</p>'));
  assert.ok(html.includes('<ol>\n<li>one</li>\n<li>two</li>\n</ol>'));
  assert.ok(html.includes('<blockquote>\n<p>quoted</p>\n</blockquote>'));
  assert.ok(html.includes('<a href="#">x</a>'));
  assert.ok(html.includes('&lt;script&gt;'));
  assert.not.ok(html.includes('<script>'));
  const page = await call(markdownToHtmlWorker, { text: '# Doc\n\nx', standalone: true });
  assert.match(page.html, /^<!DOCTYPE html>\n<html lang="en">[\s\S]*<title>Doc<\/title>/);
});

test('compose-report: a Markdown file with each part given, chart linked relatively', async () => {
  const dir = tempDir();
  try {
    const stats = (await call(textStatsWorker, { text: 'Short text. Very short.' })).stats;
    const table = await call(csvStatsWorker, { csv: 'a,b\n1,x\n2,y' });
    const out = await call(composeReportWorker, { title: 'Weekly', summary: 'Things went well.', keywords: ['things'], stats, sentiment: { score: 0.4, label: 'positive' }, ...table, path: join(dir, 'charts', 'chart-a.svg'), outDir: dir });
    const md = readFileSync(out.path, 'utf8');
    assert.is(out.path, join(dir, 'report.md'));
    for (const h of ['# Weekly', '## Summary', '## Key phrases', '## Readability', '## Sentiment', '## Data', '## Chart']) assert.ok(md.includes(`${h}\n`), h);
    assert.ok(md.includes('![chart-a.svg](charts/chart-a.svg)'));
    assert.ok(md.includes('| a | number | 2 | 1.50 | 1 | 2 |'));
    assert.ok(md.includes('2 rows, 2 columns.'));
    await call(composeReportWorker, { outDir: dir }).then(() => assert.unreachable(), (e) => assert.match(e.message, /nothing to report/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.run();
