import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requestAsMeant, withRetractionsApplied } from '../../planner/corrections.ts';
import { planWithDetails, PlanRefusedError } from '../../planner/plan.ts';
import { loadHandwritten } from '../../bench/planner-handwritten.ts';

const workers = async (request: string) => (await planWithDetails(request, { llm: null, env: {} })).plan.nodes.map((n) => n.worker);

test('a marker takes back the clause before it, keeping the files that clause named', () => {
  assert.is(withRetractionsApplied('Summarise notes.md, no wait, just the keywords'), 'notes.md just the keywords');
  assert.is(
    withRetractionsApplied('slides from talks/bayes.md, outline only. no wait — I do want the rendered deck after all'),
    'slides from talks/bayes.md, I do want the rendered deck after all',
  );
  assert.is(
    withRetractionsApplied('slide outline from pitches/rebrand.md — no, scratch that, do the full deck file'),
    'pitches/rebrand.md do the full deck file',
  );
});

test('a marker opening a sentence takes back the sentence before it', () => {
  assert.is(
    withRetractionsApplied('Summarise notes/board.md and pull the keywords. Hmm, no, only the keywords.'),
    'notes/board.md only the keywords.',
  );
  assert.is(withRetractionsApplied('Tone of reviews.txt? Oh and summarise it too. No, actually, only the tone.'), 'Tone of reviews.txt? only the tone.');
  // A bare "no" opening a sentence retracts only before a narrowing; "No chart." declines (negation.ts).
  assert.is(withRetractionsApplied('Topics of a.txt. And add sentiment. No — just the topics.'), 'Topics of a.txt. just the topics.');
  assert.is(withRetractionsApplied('Stats of data/x.csv. No chart, just the table.'), 'Stats of data/x.csv. No chart, just the table.');
  assert.is(withRetractionsApplied('Sentiment of, erm, no, readability of letters/a.md.'), 'readability of letters/a.md.');
  // "wait" takes back only before a narrowing: "wait, also the keywords" adds.
  assert.is(withRetractionsApplied('Figures and a summary of a.md, wait, figures only.'), 'a.md figures only.');
  assert.is(withRetractionsApplied('Summarise a.md, wait, also the keywords'), 'Summarise a.md, wait, also the keywords');
  assert.is(withRetractionsApplied('Spec and build a site for the club. Second thought, just the spec.'), 'just the spec.');
  assert.is(withRetractionsApplied('I have second thoughts about the tone of a.md'), 'I have second thoughts about the tone of a.md');
});

test('a correction that declines a step itself keeps the clause before it', () => {
  // Taking back "Summarise notes.md and chart data.csv" would lose the summary: the decline says what goes.
  assert.is(withRetractionsApplied('Summarise notes.md and chart data.csv. No wait, skip the chart.'), 'Summarise notes.md and chart data.csv. skip the chart.');
});

test('asks and quoted text that only look like markers are left alone', () => {
  for (const kept of [
    'Please help me cancel this ticket and book another one',
    'Ignore that column and chart the rest of data/x.csv',
    'Convert notes.md to HTML — actually no summary needed',
    'Is this rude? "no wait, scratch that, I hate you"',
    "Don't forget that the summary goes to the board",
  ]) assert.is(withRetractionsApplied(kept), kept, kept);
});

test('requestAsMeant unquotes a passed-on request before applying its second thoughts', () => {
  assert.is(requestAsMeant('Fwd: "Summarise minutes/may.md, no wait, just the keywords" thanks'), 'Fwd: minutes/may.md just the keywords thanks');
});

test('plans follow the final version of the message', async () => {
  assert.equal(await workers('slides from lectures/bayes.md, outline only. no wait — I do want the rendered deck after all'), [
    'read-file', 'extract-text', 'summarise', 'structure-slides', 'render-deck',
  ]);
  assert.equal(await workers('Tone of reviews/r2.txt? I think reviewer 2 hates us. Oh and summarise it too. No, actually, only the tone.'), [
    'read-file', 'extract-text', 'sentiment',
  ]);
});

test('an instruction that takes itself back wholly is refused saying so, not as an empty one', async () => {
  const refusal = async (instruction: string) => planWithDetails(instruction, { llm: null, env: {} }).then(() => undefined, (e: Error) => e);
  for (const instruction of ['Chart the — scratch that', 'On second thought']) {
    const e = await refusal(instruction);
    assert.ok(e instanceof PlanRefusedError, String(e));
    assert.is(e.message, `plan: the instruction takes back all it asks, leaving nothing to plan (${JSON.stringify(instruction)}); say what to do, e.g. "Summarise docs/report.md"`);
  }
  assert.match(String((await refusal('   '))?.message), /plan: the instruction is empty/);
});

test('no request of the train, dev or test splits reads differently', () => {
  const changed = loadHandwritten().filter((r) => r.split !== 'fresh' && withRetractionsApplied(r.request) !== r.request);
  assert.equal(changed.map((r) => r.id), []);
});

test.run();
