import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { extractSlots, inlineCsv, maskPaths, unquotePassedOn } from '../../planner/slots.ts';
import { planWithDetails } from '../../planner/index.ts';

test('paths: bare, rooted, home, Windows, quoted with spaces, backticked; csv separated', () => {
  const s = extractSlots('Read ~/Downloads/q3-review.md, chart "sales 2024.csv" and write to ./site');
  assert.is(s.path, '~/Downloads/q3-review.md');
  assert.is(s.csvPath, 'sales 2024.csv');
  assert.is(s.outDir, './site');
  assert.equal(s.paths, ['~/Downloads/q3-review.md', 'sales 2024.csv', './site']);
  assert.is(extractSlots('Summarise C:\\Users\\lee\\report.txt.').path, 'C:\\Users\\lee\\report.txt');
  assert.is(extractSlots('open `notes/a b.md` please').path, 'notes/a b.md');
  assert.is(extractSlots('summarise report.pdf').path, 'report.pdf');
  const out = extractSlots('Draw a graph of docs/budget.csv and merge the findings into a report, and save it to /home/q4/notes-d5uxr/?');
  assert.equal([out.csvPath, out.outDir, out.path], ['docs/budget.csv', '/home/q4/notes-d5uxr/', undefined]);
});

test('not paths: abbreviations, and/or, URLs, framework names', () => {
  const s = extractSlots('e.g. check positive/negative tone of https://example.com/a.md using Node.js');
  assert.is(s.path, undefined);
  assert.is(s.paths, undefined);
  assert.is(s.brief, 'e.g. check positive/negative tone of using Node.js');
});

test('quoted text becomes text (and markdown when it looks like it); the brief drops it', () => {
  const s = extractSlots('What is the sentiment of "I waited forty minutes for a cold coffee." ?');
  assert.is(s.text, 'I waited forty minutes for a cold coffee.');
  assert.is(s.markdown, undefined);
  assert.is(s.brief, 'What is the sentiment of ?');
  const md = extractSlots('Render this as HTML: “# Title\n- a”');
  assert.is(md.markdown, '# Title\n- a');
  // The link's target used to be cut out of the passage with the instruction's URLs, so the page lost it.
  const linked = extractSlots('html please: "**Moved** to Friday, see [the board](https://board.example.com/q?id=4)." thanks, from https://example.org');
  assert.is(linked.markdown, '**Moved** to Friday, see [the board](https://board.example.com/q?id=4).');
  assert.is(linked.brief, 'html please: thanks, from');
  assert.is(extractSlots('a site like "https://example.com/shop.html" for my bakery').text, undefined);
  assert.is(extractSlots("it's John's 'great stuff'").text, 'great stuff');
});

test('a request forwarded in quotes is what to do: its file is the path, the passage no text; other quotes stay', async () => {
  const fwd = 'Fwd from Priya: "Could someone send me the short version of council/minutes-may.md?" Can you do that one for her';
  assert.is(unquotePassedOn(fwd), 'Fwd from Priya: Could someone send me the short version of council/minutes-may.md? Can you do that one for her');
  const s = extractSlots(fwd);
  assert.is(s.path, 'council/minutes-may.md');
  assert.is(s.text, undefined);
  assert.is(s.instruction, fwd, 'the instruction is kept as written');
  for (const kept of [
    'Is this negative? "The update deleted my playlists."',
    'Summarise "my notes/q3 final plan.md"',
    'md to html: "![logo](img/logo.png) Welcome to our shop"',
    'html please: "see [the board](https://board.example.com/x.html) today"',
    'save it as a file named "Euro Purchase Record on June 23, 2023.txt" in my "D:/FinanceArchives/" directory',
  ]) assert.is(unquotePassedOn(kept), kept, kept);
  // Before, the planner read the forwarded request as a quoted text to work on and planned a sentiment step.
  const { plan } = await planWithDetails(fwd, { llm: null, env: {} });
  assert.equal(plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
  assert.is(plan.instruction, fwd);
});

test('a request dictated in single quotes is passed on too; an apostrophe is no quote mark', async () => {
  const dictated = "Dictated by our director: 'Please summarise minutes/june-board.md and chart finance/spend.csv.'";
  assert.is(unquotePassedOn(dictated), 'Dictated by our director: Please summarise minutes/june-board.md and chart finance/spend.csv.');
  assert.is(unquotePassedOn('She wrote ‘can you chart data/x.csv for me’ on the ticket'), 'She wrote can you chart data/x.csv for me on the ticket');
  for (const kept of ["it's John's 'great stuff' from notes/a.md", "'Don't touch notes/a.md unless you must' she said"]) assert.is(unquotePassedOn(kept), kept, kept);
  // Before, the quoted request was a passage to work on: a summary of it, at 0.99, unflagged.
  const { plan } = await planWithDetails(dictated, { llm: null, env: {} });
  assert.equal(plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise', 'csv-stats', 'render-chart']);
});

test('a brief keeps the whole instruction', () => {
  const s = extractSlots('Build a landing page for a bakery called Crumbs and review it');
  assert.is(s.brief, 'Build a landing page for a bakery called Crumbs and review it');
  assert.is(s.instruction, 'Build a landing page for a bakery called Crumbs and review it');
});

test('every fixture that starts from a file or quoted text yields the slot its first worker needs', () => {
  for (const split of ['train', 'dev', 'test']) {
    const lines = readFileSync(`fixtures/planner/${split}.jsonl`, 'utf8').trim().split('\n');
    lines.forEach((line, i) => {
      const ex = JSON.parse(line);
      const s = extractSlots(ex.request);
      const where = `${split}.jsonl:${i + 1}`;
      assert.is(!!s.path, ex.nodes.includes('read-file'), `${where} path`);
      assert.is(!!s.csvPath, ex.nodes.includes('csv-stats'), `${where} csv`);
      if (!ex.nodes.includes('read-file') && ['summarise', 'sentiment', 'text-stats', 'extract-keywords', 'markdown-to-html'].includes(ex.nodes[0])) assert.ok(s.text, `${where} text`);
      for (const p of s.paths ?? []) assert.ok(ex.request.includes(p), `${where} ${p}`);
    });
  }
});

test('maskPaths keeps what a path is (extension, folder) and drops its name; prose and URLs stay', () => {
  assert.is(maskPaths('Chart /tmp/run-42/sales.csv and save it to ./out/.'), 'Chart file.csv and save it to folder/.');
  assert.is(maskPaths('Convert "my notes/week 1.md" to HTML'), 'Convert file.md to HTML');
  assert.is(maskPaths("Is 'great stuff' positive? See https://x.org/a.md"), "Is 'great stuff' positive? See https://x.org/a.md");
  assert.is(maskPaths('summarise C:\\Users\\lee\\Report.TXT, e.g. now'), 'summarise file.txt, e.g. now');
});

test.run();

test('a CSV table pasted into the instruction is its csv, and the model reads it as file.csv; prose with commas is no table', () => {
  const request = "Here's some CSV, give me per-column stats:\nteam,wins,losses\nHawks,12,4\nOwls,9,7\n";
  assert.is(extractSlots(request).csv, 'team,wins,losses\nHawks,12,4\nOwls,9,7');
  assert.is(extractSlots(request).brief, "Here's some CSV, give me per-column stats:");
  assert.is(maskPaths(request), "Here's some CSV, give me per-column stats:\nfile.csv\n");
  // A named CSV file wins over a pasted table (its text is read at run time).
  assert.is(extractSlots('chart data/a.csv\nx,y\n1,2').csv, undefined);
  for (const prose of ['Summarise a.md, then b.md,\nand also c.md, please', 'Dear team,\nthanks, all', 'one line,1,2']) assert.is(inlineCsv(prose), undefined, prose);
});
