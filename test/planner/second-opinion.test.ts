import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCatalog, loadPlannerModel, modelText, readPreprocessing, DEFAULT_MODEL_DIR } from '../../planner/default-model.ts';
import { loadAnyModel } from '../../planner/model/io.ts';
import { loadHandwritten } from '../../bench/planner-handwritten.ts';
import { exampleToLists, planToLists, sameGraph } from '../../planner/metrics.ts';
import type { Plan } from '../../planner/types.ts';
import { agreement } from '../../planner/calibration/member-agreement.ts';
import {
  headFeatures, headWords, overruled, readSecondOpinion, saveSecondOpinion, secondOpinionVoter, toolProbabilities, trainHead, withSecondOpinion,
  DEFAULT_HEAD_FEATURES, SECOND_OPINION_FILE, type SavedSecondOpinion,
} from '../../planner/second-opinion/index.ts';

const catalog = defaultCatalog();
const names = catalog.tools.map((t) => t.name);
const small = { ...DEFAULT_HEAD_FEATURES, dim: 4096 };

/** A few requests in two families: summaries of files, and word counts of files. */
const examples = [
  ...['Summarise a.md', 'Give me the gist of b.txt', 'tl;dr of notes.md please', 'Summary of report.md'].map((request) => ({ request, nodes: ['read-file', 'extract-text', 'summarise'] })),
  ...['How many words is a.md', 'Word count of b.txt', 'Reading time of notes.md', 'count the words in report.md'].map((request) => ({ request, nodes: ['read-file', 'extract-text', 'text-stats'] })),
];

const plan = (workers: string[]): Plan => ({ instruction: 'x', nodes: workers.map((worker, i) => ({ id: `n${i + 1}`, worker, dependsOn: i > 0 ? [`n${i}`] : [], confidence: 0.99 })), confidence: 0.99, lowConfidence: false, source: 'model' });

test('head features: paths become their extension, vectors are unit length and the same in every call', () => {
  assert.equal(headWords('Chart sales/Q1.csv, then notes.MD!'), ['chart', '<path.csv>', 'then', '<path.md>']);
  const a = headFeatures('Summarise sales/q1.md', small), b = headFeatures('Summarise other/x.md', small);
  assert.equal([...a.idx], [...b.idx], 'two paths of the same kind read the same');
  assert.ok(Math.abs(a.val.reduce((s, v) => s + v * v, 0) - 1) < 1e-6);
});

test('training is deterministic and learns which tools the words ask for', () => {
  const head = trainHead(examples, names, small), again = trainHead(examples, names, small);
  assert.equal([...head.weights[names.indexOf('summarise')]], [...again.weights[names.indexOf('summarise')]]);
  const p = (text: string, tool: string) => toolProbabilities(head, text)[names.indexOf(tool)];
  assert.ok(p('gist of minutes.md', 'summarise') > 0.5 && p('gist of minutes.md', 'text-stats') < 0.5);
  assert.ok(p('word count of minutes.md', 'text-stats') > 0.5 && p('word count of minutes.md', 'summarise') < 0.5);
  assert.ok(p('gist of minutes.md', 'render-chart') < 0.1, 'a tool no example uses');
});

test('overruled: a sure head replaces a plan that misses or adds a tool, linked by type; an unsure or agreeing head leaves it', () => {
  const saved: SavedSecondOpinion = { head: trainHead(examples, names, small), margin: 0.3 };
  const model = { catalog };
  const fixed = overruled(saved, model, 'Word count of minutes.md', plan(['read-file', 'extract-text', 'summarise']))!;
  assert.ok(fixed, 'the head is sure the request asks for text-stats, not summarise');
  assert.equal(fixed.nodes.map((n) => [n.worker, n.dependsOn]), [['read-file', []], ['extract-text', ['n1']], ['text-stats', ['n2']]]);
  assert.ok(fixed.confidence <= 0.99);
  assert.is(overruled(saved, model, 'Word count of minutes.md', plan(['read-file', 'extract-text', 'text-stats'])), undefined, 'the head agrees');
  assert.is(overruled({ ...saved, margin: 0.4999 }, model, 'Word count of minutes.md', plan(['read-file', 'extract-text', 'summarise'])), undefined, 'not sure enough');
  // A model of another catalog, or an untyped one, keeps its plans.
  assert.is(overruled(saved, { catalog: { ...catalog, tools: catalog.tools.filter((t) => t.name !== 'text-stats') } }, 'Word count of minutes.md', plan(['read-file', 'extract-text', 'summarise'])), undefined);
});

test('withSecondOpinion flags the plan it replaces when its confidence is under the model threshold', () => {
  const saved: SavedSecondOpinion = { head: trainHead(examples, names, small), margin: 0.3 };
  const inner = { catalog, threshold: 1, plan: () => plan(['read-file', 'extract-text', 'summarise']) } as unknown as Parameters<typeof withSecondOpinion>[0];
  const out = withSecondOpinion(inner, saved).plan('Word count of minutes.md');
  assert.equal(out.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'text-stats']);
  assert.ok(out.lowConfidence);
});

test('save and read back: int8 weights give the same decisions; a bad file names itself and the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-second-opinion-'));
  const head = trainHead(examples, names, small);
  saveSecondOpinion({ head, margin: 0.35 }, dir, 'test');
  const back = readSecondOpinion(dir)!;
  assert.is(back.margin, 0.35);
  for (const text of ['gist of minutes.md', 'word count of minutes.md']) {
    const a = toolProbabilities(head, text), b = toolProbabilities(back.head, text);
    a.forEach((p, i) => assert.ok(Math.abs(p - b[i]) < 0.02, `${names[i]}: ${p} vs ${b[i]}`));
  }
  const file = join(dir, SECOND_OPINION_FILE);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...json, margin: 0.7 }));
  assert.throws(() => readSecondOpinion(dir), /second-opinion\.json: field "margin" must be a number in \[0, 0\.5\)/);
  writeFileSync(file, JSON.stringify({ ...json, scales: [1] }));
  assert.throws(() => readSecondOpinion(dir), /field "scales" must be one number per tool/);
  writeFileSync(file, JSON.stringify({ ...json, features: { ...json.features, dim: 8192 } }));
  assert.throws(() => readSecondOpinion(dir), /second-opinion\.bin: 69632 bytes, expected 17 tools x 8192 buckets/);
  writeFileSync(file, '{');
  assert.throws(() => readSecondOpinion(dir), /second-opinion\.json: malformed JSON/);
  assert.is(readSecondOpinion(tmpdir() + '/orchestai-no-such-dir'), undefined);
});

test('the shipped second opinion overrules the pooled members on a dev request they plan wrong', () => {
  // hw-2144: "how long does it run read aloud, and is it too bleak even for me?" asks for reading time and
  // sentiment; four of the five members plan a summary instead of the sentiment, and the pool follows them.
  const r = loadHandwritten().find((x) => x.id === 'hw-2144')!;
  const text = modelText(r.request, readPreprocessing(DEFAULT_MODEL_DIR));
  const members = loadAnyModel(DEFAULT_MODEL_DIR).plan(text);
  assert.not.ok(sameGraph(planToLists(members), exampleToLists(r)), 'the members alone get it right: pick another request');
  const planned = loadPlannerModel().plan(text);
  assert.ok(sameGraph(planToLists(planned), exampleToLists(r)), planned.nodes.map((n) => n.worker).join(' > '));
  // The members dispute the plan the head made: a plan two models dispute is one to confirm.
  assert.ok(planned.lowConfidence, 'a plan most members do not make is flagged');
});

test('secondOpinionVoter: the head votes with its own tools linked by type; over an untyped catalog it plans nothing', () => {
  const saved: SavedSecondOpinion = { head: trainHead(examples, names, small), margin: 0.3 };
  const voted = secondOpinionVoter(saved, catalog).plan('Word count of minutes.md');
  assert.equal(voted.nodes.map((n) => [n.worker, n.dependsOn]), [['read-file', []], ['extract-text', ['n1']], ['text-stats', ['n2']]]);
  assert.is(voted.instruction, 'Word count of minutes.md');
  const untyped = { ...catalog, tools: catalog.tools.map(({ inputType: _i, outputType: _o, ...t }) => t) };
  assert.is(secondOpinionVoter(saved, untyped as typeof catalog).plan('Word count of minutes.md').nodes.length, 0);
  // As one voter of three: two of three agree with the text-stats plan, one with a summary.
  const summary = plan(['read-file', 'extract-text', 'summarise']);
  const voters = [secondOpinionVoter(saved, catalog), { plan: () => summary }, { plan: () => voted }];
  assert.is(agreement(voters, 'Word count of minutes.md', voted), 2 / 3);
  assert.is(agreement(voters, 'Word count of minutes.md', summary), 1 / 3);
});

test.run();
