import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { htmlStructure, markdownStructure, sniffFormat, textStructure } from '../../workflows/lib/document.ts';
import { blocksToHtml, parseMarkdown } from '../../workflows/lib/markdown.ts';
import { clip, prose, sentences, slug, stem, syllables } from '../../workflows/lib/text.ts';
import { parseCsv } from '../../workflows/lib/csv.ts';

test('sentences: abbreviations, decimals and initials do not split', () => {
  assert.equal(sentences('We use Fig. 2 here. The value is 3.5 in e.g. Table 1. J. Smith agreed! Done?'), [
    'We use Fig. 2 here.',
    'The value is 3.5 in e.g. Table 1.',
    'J. Smith agreed!',
    'Done?',
  ]);
  assert.equal(sentences('First para\n\nSecond para.'), ['First para', 'Second para.']);
});

test('stem and syllables are consistent across inflections', () => {
  assert.is(stem('graphs'), stem('graph'));
  assert.is(stem('ranking'), stem('ranked'));
  assert.is(syllables('cat'), 1);
  assert.is(syllables('readability'), 5);
  assert.is(syllables('table'), 2);
});

test('prose drops captions, image lines and table rows', () => {
  assert.is(prose('Intro text.\nFigure 1: A plot.\n![x](a.png)\n| a | b |\nMore text.'), 'Intro text.\n\nMore text.');
  // A sentence that merely starts with a figure mention is prose.
  assert.is(prose('Figure 2 shows the gap.'), 'Figure 2 shows the gap.');
});

test('slug and clip', () => {
  assert.is(slug('Über Café & Bar!'), 'uber-cafe-bar');
  assert.is(clip('one two three four', 3), 'one two three…');
  assert.is(clip('one two', 3), 'one two');
});

test('markdown: headings, nested lists, tables and code are parsed into blocks', () => {
  const { frontTitle, blocks } = parseMarkdown('---\ntitle: "Doc"\n---\n# H\n\nPara *em*.\n\n- a\n  - b\n- c\n\n| x | y |\n|:--|--:|\n| 1 | 2 |\n\n```js\nlet a = 1;\n```\n\nSetext\n---');
  assert.is(frontTitle, 'Doc');
  assert.equal(blocks.map((b) => b.kind), ['heading', 'paragraph', 'list', 'table', 'code', 'heading']);
  const list = blocks[2] as any;
  assert.is(list.items.length, 2);
  assert.is(list.items[0][1].kind, 'list');
  const html = blocksToHtml(blocks);
  assert.ok(html.includes('<td style="text-align:right">2</td>'));
  assert.ok(html.includes('<pre><code class="language-js">let a = 1;</code></pre>'));
  assert.ok(html.includes('<ul>\n<li>a<ul>') || html.includes('<li>a\n<ul>'), html);
});

test('markdownStructure: title from the single h1, sections at other headings, images kept for figures', () => {
  const doc = markdownStructure('# Paper\n\nLead in.\n\n## Intro\n\nHello **world**.\n\n![Alt](a.png)\n\n## Methods\n\nWe [link](http://x) things.');
  assert.is(doc.title, 'Paper');
  assert.equal(doc.sections, [
    { heading: 'Overview', text: 'Lead in.' },
    { heading: 'Intro', text: 'Hello world.\n\n![Alt](a.png)' },
    { heading: 'Methods', text: 'We link things.' },
  ]);
  assert.ok(doc.text.includes('Intro\n\nHello world.'));
});

test('htmlStructure: title tag, scripts dropped, entities decoded, images as markdown lines', () => {
  const doc = htmlStructure('<html><head><title>T &amp; U</title><style>p{}</style></head><body><h1>T &amp; U</h1><script>alert(1)</script><h2>Part</h2><p>a &lt; b</p><img src="x.png" alt="X"><ul><li>one</li></ul></body></html>');
  assert.is(doc.title, 'T & U');
  assert.is(doc.sections.length, 1);
  assert.is(doc.sections[0].heading, 'Part');
  assert.ok(doc.sections[0].text.includes('a < b'));
  assert.ok(doc.sections[0].text.includes('![X](x.png)'));
  assert.ok(doc.sections[0].text.includes('- one'));
  assert.not.ok(doc.text.includes('alert'));
});

test('textStructure: short unpunctuated lines are headings', () => {
  const doc = textStructure('Field Notes\n\nMorning\n\nWe walked. It rained.\n\nEvening\n===\n\nWe ate.');
  assert.is(doc.title, 'Field Notes');
  assert.equal(doc.sections.map((s) => s.heading), ['Morning', 'Evening']);
});

test('sniffFormat', () => {
  assert.is(sniffFormat('<!doctype html><p>x</p>'), 'html');
  assert.is(sniffFormat('# Title\n\ntext'), 'markdown');
  assert.is(sniffFormat('just words here.'), 'text');
});

test('parseCsv: quotes, escaped quotes, newlines in quotes, CRLF; errors name the line', () => {
  assert.equal(parseCsv('a,b\r\n1,"x, ""y"""\r\n2,"multi\nline"\n'), [['a', 'b'], ['1', 'x, "y"'], ['2', 'multi\nline']]);
  assert.throws(() => parseCsv('a,b\n1,"open\n2,3'), /line 2: a quoted field is never closed/);
  assert.throws(() => parseCsv('a,b\n"x"y,1'), /line 2: unexpected "y" after a closing quote/);
});

test.run();
