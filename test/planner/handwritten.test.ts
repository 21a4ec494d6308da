import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCatalog, loadPlannerModel, modelText, readPreprocessing, DEFAULT_MODEL_DIR } from '../../planner/default-model.ts';
import { loadHandwritten, planAll, tabulate, errorKinds, HANDWRITTEN_FILE, HANDWRITTEN_SPLITS } from '../../bench/planner-handwritten.ts';
import { exampleToLists, planToLists, sameGraph } from '../../planner/metrics.ts';
import { finishPlan } from '../../planner/finish.ts';
import { agreedConfidence, agreement, agreementShare, graphKey, readCalibration, CALIBRATION_FILE } from '../../planner/calibration/member-agreement.ts';
import { readSecondOpinion, secondOpinionVoter } from '../../planner/second-opinion/index.ts';
import { chooseCalibration, flaggedAt } from '../../scripts/fixtures-gen/calibrate-default.ts';
import type { Plan } from '../../planner/types.ts';
import { isEnsembleDir, loadAnyModel } from '../../planner/model/io.ts';
import { relinkedByType } from '../../planner/decode/typed-links.ts';

/**
 * The hand-written request set (fixtures/planner/handwritten.jsonl): its integrity against the
 * built-in catalog, and a floor under the default model's exact-plan rate on its dev split.
 */

const catalog = defaultCatalog();
const tools = catalog.tools.map((t) => t.name);
const allowed = new Set(catalog.links.map((l) => `${l.source}>${l.target}`));
const requests = loadHandwritten();

/**
 * The default planner (five pooled members, trained with the train split, and the second opinion
 * that may overrule them, see planner/second-opinion/) planned 272 of the 287 dev requests the
 * catalog can do exactly right (94.8%, `npm run bench:planner-handwritten`, 2026-12-07; the dev
 * split is the fourth and thirteenth batches, written in yet other people's voices and never
 * trained on); the floor leaves room for 20 of them to regress.
 */
const DEV_EXACT_FLOOR = 0.875;
/**
 * With its members' and the second opinion's votes and the threshold chosen on dev
 * (calibration.json), it flagged 10 of the 15 wrong dev plans and 42 of the 272 right ones (15.4%,
 * 2026-12-07): the voters agree on most plans they get wrong. The bounds leave room for two more
 * wrong plans unflagged and 26 more right ones flagged.
 */
const DEV_FLAGGED_WRONG_FLOOR = 0.52;
const DEV_FLAGGED_RIGHT_CEILING = 0.25;

test('every line parses, ids are unique and numbered hw-0001 onwards, and there are at least 150 requests', () => {
  assert.ok(requests.length >= 150, `${requests.length} requests`);
  assert.equal(requests.map((r) => r.id), requests.map((_, i) => `hw-${String(i + 1).padStart(4, '0')}`));
});

test('every node is a catalog tool and every link joins two listed nodes along a catalog link, in execution order', () => {
  for (const r of requests) {
    for (const n of r.nodes) assert.ok(tools.includes(n), `${r.id}: "${n}" is not a catalog tool`);
    for (const l of r.links) {
      assert.ok(allowed.has(`${l.source}>${l.target}`), `${r.id}: link ${l.source} -> ${l.target} is not in the catalog`);
      assert.ok(r.nodes.indexOf(l.source) < r.nodes.indexOf(l.target), `${r.id}: link ${l.source} -> ${l.target} runs backwards in "nodes"`);
    }
    // A plan with hand-offs has no stray tool: an unlinked one must be a piece of work apart, which
    // no other listed tool could feed or be fed by ("For the CSV just column stats; for the doc a
    // summary": csv-stats beside read > extract > summarise). Side-by-side tools on an inline text
    // have no links at all.
    const apart = (n: string) => !r.nodes.some((m) => m !== n && (allowed.has(`${m}>${n}`) || allowed.has(`${n}>${m}`)));
    if (r.links.length > 0) for (const n of r.nodes) assert.ok(apart(n) || r.links.some((l) => l.source === n || l.target === n), `${r.id}: "${n}" is not linked`);
  }
});

test('every label links its steps the way the catalog\'s types do (what the default model plans with linkByType)', () => {
  const index = new Map(catalog.tools.map((t, i) => [t.name, i]));
  const key = (links: readonly { source: string; target: string }[]) => links.map((l) => `${l.source}>${l.target}`).sort().join(',');
  for (const r of requests) {
    const typed = relinkedByType({ nodes: r.nodes.map((n) => ({ tool: index.get(n)!, prob: 1, deps: [] })), logProb: 0 }, catalog);
    const links = typed.nodes.flatMap((n) => n.deps.map((d) => ({ source: tools[typed.nodes[d].tool], target: tools[n.tool] })));
    assert.is(key(r.links), key(links), r.id);
  }
});

test('the four splits are present and each one covers every tool of the catalog', () => {
  for (const split of HANDWRITTEN_SPLITS) {
    const part = requests.filter((r) => r.split === split);
    assert.ok(part.length >= 75, `${split}: ${part.length} requests`);
    const used = new Set(part.flatMap((r) => r.nodes));
    assert.equal(tools.filter((t) => !used.has(t)), [], `${split} misses tools`);
    assert.ok(part.filter((r) => r.unmatched).length >= 8, `${split}: too few requests with an unmatched clause`);
  }
});

test('requests with a clause no tool does name that clause; some have nothing a tool does', () => {
  const un = requests.filter((r) => r.unmatched);
  assert.ok(un.length >= 18, `${un.length} requests with an unmatched clause`);
  for (const r of un) for (const c of r.unmatched!) assert.ok(c.trim().length > 3, `${r.id}: empty unmatched clause`);
  assert.ok(un.filter((r) => r.nodes.length === 0).length >= 5, 'requests nothing in the catalog does');
  // An empty DAG without a clause saying why would be an unlabelled request.
  for (const r of requests) if (r.nodes.length === 0) assert.ok(r.unmatched, `${r.id}: empty nodes and no unmatched clause`);
});

test('no request is a copy of a generated one (train, dev or test) and none repeats within the set', () => {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const generated = new Set<string>();
  for (const split of ['train', 'dev', 'test']) {
    for (const line of readFileSync(`fixtures/planner/${split}.jsonl`, 'utf8').split('\n')) if (line) generated.add(norm(JSON.parse(line).request));
  }
  const seen = new Set<string>();
  for (const r of requests) {
    const k = norm(r.request);
    assert.not.ok(generated.has(k), `${r.id} is a generated request`);
    assert.not.ok(seen.has(k), `${r.id} repeats an earlier request`);
    seen.add(k);
  }
});

test('the loader rejects a malformed line, a duplicate id, a missing split and an empty unlabelled DAG, naming the line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-handwritten-'));
  const good = '{"id":"hw-0001","request":"Summarise a.md","nodes":["read-file"],"links":[],"split":"dev"}';
  const cases: [string, RegExp][] = [
    [`${good}\n{"id":`, /:2: malformed JSON/],
    [`${good}\n${good}`, /:2: duplicate id "hw-0001"/],
    ['{"id":"hw-0001","request":"x","nodes":[],"links":[]}', /:1: field "split"/],
    ['{"id":"hw-0001","request":"x","nodes":[],"links":[],"split":"test"}', /:1: empty "nodes" needs an "unmatched" clause/],
    ['{"id":"hw-0001","request":"x","nodes":["a"],"links":[{"source":"a","target":"b"}],"split":"test"}', /:1: link a -> b names a worker that is not in "nodes"/],
  ];
  for (const [text, message] of cases) {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, text + '\n');
    assert.throws(() => loadHandwritten(file), message);
  }
});

test('scoring: a refusal is exact only for an empty gold DAG, and a silently dropped clause is an error kind', () => {
  assert.ok(sameGraph({ nodes: [], links: [] }, { nodes: [], links: [] }));
  assert.not.ok(sameGraph({ nodes: ['a', 'b'], links: ['a, b'] }, { nodes: ['a', 'b'], links: [] }));
  const base = { id: 'hw-9999', split: 'dev' as const, request: 'r', gold: { nodes: ['a'], links: [] }, pred: { nodes: ['a'], links: [] }, confidence: 1, flagged: false, exact: true, reportedClause: false };
  assert.equal(errorKinds(base), []);
  assert.equal(errorKinds({ ...base, unmatched: ['email it'] }), ['unmatched clause silently dropped']);
  assert.equal(errorKinds({ ...base, unmatched: ['email it'], flagged: true }), []);
  assert.equal(errorKinds({ ...base, exact: false, pred: { nodes: ['b'], links: [] } }), ['missing tool', 'extra tool']);
});

/**
 * The open-world check (planner/open-world.ts, its words chosen on earlier batches, now in the train
 * split) reported the clause no worker does in 23 of the 33 dev requests that have one, flagged 32
 * of them, and reported a clause in 8 of the 287 dev requests the catalog can do (2026-12-06, with
 * and without the second opinion); the bounds leave room for seven more misses, four more unflagged
 * and three more false alarms. The
 * fourth batch's undone clauses are harder than the third's (9 of 10 reported): "e-file it with
 * the county clerk", "get me the direct line for the press office", "tell me when I should drill
 * the spring barley".
 */
const DEV_UNMATCHED_REPORTED_FLOOR = 0.48;
const DEV_UNMATCHED_FLAGGED_FLOOR = 0.84;
const DEV_FALSE_ALARM_CEILING = 11 / 287;

test(`on dev, the default planner reports the unmatched clause of at least ${100 * DEV_UNMATCHED_REPORTED_FLOOR}% of the requests that have one and flags at least ${100 * DEV_UNMATCHED_FLAGGED_FLOOR}%`, async () => {
  const table = tabulate(await planAll(requests.filter((r) => r.split === 'dev')));
  assert.ok(table.unmatchedReported! >= DEV_UNMATCHED_REPORTED_FLOOR, `reported ${(100 * table.unmatchedReported!).toFixed(1)}%`);
  assert.ok(table.unmatchedFlagged! >= DEV_UNMATCHED_FLAGGED_FLOOR, `flagged ${(100 * table.unmatchedFlagged!).toFixed(1)}%`);
  assert.ok(table.matchedReported! <= DEV_FALSE_ALARM_CEILING, `false alarms on ${(100 * table.matchedReported!).toFixed(1)}% of the doable requests`);
});

/** The dev outcomes, planned once for the tests below. */
let devTable: ReturnType<typeof tabulate> | undefined;
const devOutcomes = async () => (devTable ??= tabulate(await planAll(requests.filter((r) => r.split === 'dev'))));

test(`the default model plans at least ${100 * DEV_EXACT_FLOOR}% of the dev requests the catalog can do exactly right, offline`, async () => {
  const table = await devOutcomes();
  assert.ok(table.matched >= 80, `${table.matched} dev requests`);
  assert.ok(table.exact >= DEV_EXACT_FLOOR, `dev exact-plan rate ${(100 * table.exact).toFixed(1)}% is below the floor ${100 * DEV_EXACT_FLOOR}% (${HANDWRITTEN_FILE})`);
});

test(`the default planner is calibrated by its members' votes: on dev it flags at least ${100 * DEV_FLAGGED_WRONG_FLOOR}% of wrong plans and at most ${100 * DEV_FLAGGED_RIGHT_CEILING}% of right ones`, async () => {
  const c = readCalibration(DEFAULT_MODEL_DIR);
  assert.ok(c && (c.check || isEnsembleDir(DEFAULT_MODEL_DIR)), 'fixtures/planner/model/calibration.json names a check directory, or the default planner is an ensemble whose members vote');
  assert.is(loadPlannerModel().threshold, c!.threshold);
  const table = await devOutcomes();
  assert.ok(table.flaggedWrong! >= DEV_FLAGGED_WRONG_FLOOR, `flagged ${(100 * table.flaggedWrong!).toFixed(1)}% of the dev wrong plans`);
  assert.ok(table.flaggedRight! <= DEV_FLAGGED_RIGHT_CEILING, `flagged ${(100 * table.flaggedRight!).toFixed(1)}% of the dev right plans`);
});

test('member agreement: a plan is keyed by its workers and hand-offs, not node ids or order; disagreement caps the confidence below the threshold', () => {
  const plan = (nodes: [string, string, string[]][]): Plan => ({ instruction: 'x', nodes: nodes.map(([id, worker, dependsOn]) => ({ id, worker, dependsOn, confidence: 1 })), confidence: 1, lowConfidence: false, source: 'model' });
  const a = plan([['n1', 'read-file', []], ['n2', 'extract-text', ['n1']], ['n3', 'summarise', ['n2']], ['n4', 'sentiment', ['n2']]]);
  const b = plan([['n1', 'read-file', []], ['n2', 'extract-text', ['n1']], ['n3', 'sentiment', ['n2']], ['n4', 'summarise', ['n2']]]);
  const c = plan([['n1', 'read-file', []], ['n2', 'extract-text', ['n1']], ['n3', 'summarise', ['n2']], ['n4', 'sentiment', ['n3']]]);
  assert.is(graphKey(a), graphKey(b));
  assert.is.not(graphKey(a), graphKey(c));
  assert.is(agreedConfidence(0.97, 1, 0.9), 0.97);
  assert.ok(agreedConfidence(0.99, 0.5, 0.9) < 0.9 && agreedConfidence(0.99, 0.5, 0.9) > 0.44);
  assert.ok(agreedConfidence(0.99, 2 / 3, 0.9) > agreedConfidence(0.99, 1 / 3, 0.9));
  // With a majority required, two voters of three keep the plan's confidence; one of three does not.
  assert.is(agreedConfidence(0.99, 2 / 3, 0.9, 2 / 3), 0.99);
  assert.ok(agreedConfidence(0.99, 1 / 3, 0.9, 2 / 3) < 0.9);
});

test('member agreement: voters decode with the overrides the pooled plan used (type links), so the same steps linked the same way agree', () => {
  const plan = (links: boolean): Plan => ({ instruction: 'x', nodes: [{ id: 'n1', worker: 'csv-stats', dependsOn: [], confidence: 1 }, { id: 'n2', worker: 'compose-report', dependsOn: links ? ['n1'] : [], confidence: 1 }], confidence: 1, lowConfidence: false, source: 'model' });
  // A voter that links only when asked to link by type, as a member of the pooled default model does.
  const voter = { plan: (_: string, o?: { linkByType?: boolean }) => plan(o?.linkByType === true) };
  assert.is(agreement([voter], 'x', plan(true)), 0);
  assert.is(agreement([voter], 'x', plan(true), { linkByType: true }), 1);
});

test('member agreement stops asking voters once enough agree; short of that, every voter is asked and the share is exact', () => {
  const plan = (worker: string): Plan => ({ instruction: 'x', nodes: [{ id: 'n1', worker, dependsOn: [], confidence: 1 }], confidence: 1, lowConfidence: false, source: 'model' });
  let asked = 0;
  const voter = (worker: string) => ({ plan: () => (asked++, plan(worker)) });
  const voters = [voter('summarise'), voter('summarise'), voter('sentiment'), voter('summarise'), voter('summarise')];
  assert.is(agreement(voters, 'x', plan('summarise'), undefined, 3), 3 / 5);
  assert.is(asked, 4, 'the fifth voter is not asked');
  asked = 0;
  assert.is(agreement(voters, 'x', plan('sentiment'), undefined, 3), 1 / 5);
  assert.is(asked, 5);
  assert.is(agreement(voters, 'x', plan('summarise')), 4 / 5, 'without a bound the share is exact');
});

test('member agreement compares plans as they would run: a voter that adds a read of a document the CSV request never names agrees', () => {
  const catalog = defaultCatalog();
  const instruction = 'Bars per ward of ops/occupancy.csv, please';
  const node = (id: string, worker: string, dependsOn: string[]) => ({ id, worker, dependsOn, confidence: 1 });
  const pooled: Plan = { instruction, nodes: [node('n1', 'csv-stats', []), node('n2', 'render-chart', ['n1'])], confidence: 1, lowConfidence: false, source: 'model' };
  const extra: Plan = { ...pooled, nodes: [node('n1', 'read-file', []), node('n2', 'extract-text', ['n1']), node('n3', 'csv-stats', []), node('n4', 'render-chart', ['n3'])] };
  let finished = 0;
  const finish = (p: Plan) => (finished++, finishPlan(p, instruction, catalog).plan);
  const voters = [{ plan: () => extra }, { plan: () => pooled }];
  assert.is(agreement(voters, instruction, pooled), 1 / 2, 'compared raw, the read is a disagreement');
  assert.is(agreement(voters, instruction, pooled, undefined, 2, finish), 1);
  assert.is(finished, 2, 'only the plans that differ raw are finished: the voter that differs, and the pooled plan once');
  // The shipped planner on a dev request whose members add such a read (hw-2191; four of five): flagged while votes were compared raw.
  const dev = 'Ajrak sales of our shop is in file shop/ajrak-sales-by-design.csv, chart of it I want to see, each design one bar.';
  assert.not.ok(loadPlannerModel().plan(modelText(dev, readPreprocessing(DEFAULT_MODEL_DIR))).lowConfidence);
});

test('the second opinion votes with the members: a right dev plan three of five members make is not flagged, as it would be on their votes alone', () => {
  assert.ok(readCalibration(DEFAULT_MODEL_DIR)?.secondOpinionVotes, 'calibration.json says the second opinion votes');
  // hw-0515: "Kindly do the needful and give summary of documents/society-meeting-minutes.txt" (two members add sentiment)
  const r = requests.find((x) => x.id === 'hw-0515')!;
  const text = modelText(r.request, readPreprocessing(DEFAULT_MODEL_DIR));
  const model = loadAnyModel(DEFAULT_MODEL_DIR);
  const planned = loadPlannerModel().plan(text);
  assert.ok(sameGraph(planToLists(planned), exampleToLists(r)), planned.nodes.map((n) => n.worker).join(' > '));
  const members = agreementShare(model, undefined, DEFAULT_MODEL_DIR)(text, planned);
  const withHead = agreementShare(model, undefined, DEFAULT_MODEL_DIR, undefined, [secondOpinionVoter(readSecondOpinion(DEFAULT_MODEL_DIR)!, model.catalog)])(text, planned);
  assert.is(members, 3 / 5);
  assert.is(withHead, 4 / 6);
  assert.not.ok(planned.lowConfidence);
});

test('calibration: the threshold comes closest to the bars (>= 90% of wrong, <= 10% of right dev plans flagged); the file is checked', () => {
  const points = [
    { right: true, confidence: 0.99, share: 1, unmatched: false }, { right: true, confidence: 0.95, share: 1, unmatched: false },
    { right: true, confidence: 0.7, share: 1, unmatched: false }, { right: true, confidence: 0.99, share: 0.5, unmatched: false },
    { right: false, confidence: 0.9, share: 1, unmatched: false }, { right: false, confidence: 0.99, share: 0.5, unmatched: false },
  ];
  // Between 0.9 and 0.95 both wrong plans are flagged, and 2 of 4 right ones (0.7 and the disputed one): shortfall 0.4, the least.
  // No majority share below 1 among the points: every voter must agree.
  const chosen = chooseCalibration(points);
  assert.ok(Math.abs(chosen.threshold - 0.925) < 1e-9 && chosen.minShare === 1, JSON.stringify(chosen));
  assert.equal(chooseCalibration(points.filter((p) => p.right)), { threshold: 0, minShare: 1 });
  assert.ok(flaggedAt(points[5], 0.1) && !flaggedAt(points[0], 0.99));
  // Right plans two voters of three make: only a majority rule leaves them unflagged while both wrong ones are flagged.
  const majority = [
    { right: true, confidence: 0.99, share: 1, unmatched: false }, { right: true, confidence: 0.99, share: 2 / 3, unmatched: false },
    { right: true, confidence: 0.98, share: 2 / 3, unmatched: false }, { right: true, confidence: 0.99, share: 1, unmatched: false },
    { right: false, confidence: 0.9, share: 1, unmatched: false }, { right: false, confidence: 0.99, share: 1 / 3, unmatched: false },
  ];
  const m = chooseCalibration(majority);
  assert.ok(Math.abs(m.threshold - 0.94) < 1e-9 && Math.abs(m.minShare - 2 / 3) < 1e-9, JSON.stringify(m));
  assert.ok(!flaggedAt(majority[1], m.threshold, m.minShare) && flaggedAt(majority[1], m.threshold));
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-calibration-'));
  assert.is(readCalibration(dir), undefined);
  writeFileSync(join(dir, CALIBRATION_FILE), JSON.stringify({ method: 'member-agreement', threshold: 2 }));
  assert.throws(() => readCalibration(dir), /calibration\.json: field "threshold" must be a number in \[0, 1\]/);
  writeFileSync(join(dir, CALIBRATION_FILE), JSON.stringify({ method: 'member-agreement', threshold: 0.5, minShare: 0 }));
  assert.throws(() => readCalibration(dir), /calibration\.json: field "minShare" must be a number in \(0, 1\]/);
  writeFileSync(join(dir, CALIBRATION_FILE), JSON.stringify({ method: 'member-agreement', threshold: 0.5, minShare: 0.6 }));
  assert.equal(readCalibration(dir), { method: 'member-agreement', threshold: 0.5, minShare: 0.6 });
  writeFileSync(join(dir, CALIBRATION_FILE), JSON.stringify({ method: 'member-agreement', threshold: 0.5, secondOpinionVotes: 'yes' }));
  assert.throws(() => readCalibration(dir), /calibration\.json: field "secondOpinionVotes" must be true or false/);
  writeFileSync(join(dir, CALIBRATION_FILE), JSON.stringify({ method: 'member-agreement', threshold: 0.5, check: '../elsewhere' }));
  assert.throws(() => readCalibration(dir), /field "check" must name a subdirectory/);
});

test('the default model reads quoted passages as one placeholder; short quotes and paths stay what they were', () => {
  assert.equal(readPreprocessing(DEFAULT_MODEL_DIR), { maskPaths: true, maskQuotes: true });
  const pre = { maskPaths: true, maskQuotes: true };
  assert.is(modelText('Is this negative? "The chart on page four shows a drop."', pre), 'Is this negative? "passage"');
  assert.is(modelText('Summarise “docs/my notes.md” and “Q3 plan”', pre), 'Summarise file.md and “Q3 plan”');
  assert.is(modelText('Is this negative? "The chart on page four shows a drop."', { maskPaths: true }), 'Is this negative? "The chart on page four shows a drop."');
});

test.run();
