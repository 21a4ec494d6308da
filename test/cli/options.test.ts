import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../support/cli.ts';
import { date, duration, integer, nonNegativeInt, oneOf, parseDate, parseDuration, port, positiveInt } from '../../src/cli/options.ts';

process.env.SLOW_CHAIN_MS = '1';

/** The message of what `fn` throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.is((e as Error).name, 'CliError');
    return (e as Error).message;
  }
  assert.unreachable('expected a throw');
  return '';
}

// ---- the parsers ----------------------------------------------------------------------------

test('integers: digits only, in range, the flag and the text in every refusal', () => {
  assert.is(positiveInt('12', '--limit'), 12);
  assert.is(positiveInt('+7', '--limit'), 7);
  assert.is(nonNegativeInt('0', '--offset'), 0);
  assert.ok(Object.is(nonNegativeInt('-0', '--offset'), 0));
  assert.is(port('65535', '--port'), 65535);
  for (const bad of ['abc', '', ' 5', '1.5', '1e3', '0x10', '5x', 'Infinity', 'NaN']) assert.is(thrown(() => positiveInt(bad, '--limit')), `--limit must be a positive integer, got ${JSON.stringify(bad)}`);
  assert.is(thrown(() => positiveInt('0', '--until')), '--until must be a positive integer (1 or more), got "0"');
  assert.is(thrown(() => positiveInt('-3', '--until')), '--until must be a positive integer (1 or more), got "-3"');
  assert.is(thrown(() => nonNegativeInt('-1', '--offset')), '--offset must be a non-negative integer (0 or more), got "-1"');
  assert.is(thrown(() => port('65536', '--port')), '--port must be an integer from 0 to 65535, got "65536"');
  assert.is(thrown(() => port('-1', '--port')), '--port must be an integer from 0 to 65535, got "-1"');
  assert.is(thrown(() => positiveInt('9007199254740992', '--limit')), '--limit must be a positive integer (at most 9007199254740991), got "9007199254740992"');
  assert.is(thrown(() => integer({ min: 2, max: 8 })('9', '--members')), '--members must be an integer from 2 to 8, got "9"');
  assert.is(thrown(() => integer({ min: 5 })('4', '--n')), '--n must be an integer, 5 or more, got "4"');
  assert.is(positiveInt.placeholder, 'n');
});

test('enums: the value or a list of the allowed ones', () => {
  const format = oneOf('json', 'mermaid', 'svg');
  assert.is(format('svg', '--format'), 'svg');
  assert.is(thrown(() => format('png', '--format')), '--format must be json, mermaid or svg, got "png"');
  assert.is(thrown(() => format('JSON', '--format')), '--format must be json, mermaid or svg, got "JSON"');
  assert.is(thrown(() => oneOf('knn')('tfidf', '--baseline')), '--baseline must be knn, got "tfidf"');
  assert.is(format.placeholder, 'json|mermaid|svg');
});

test('durations: 30d, 12h, 90m, 45s, 500ms, 2w, 1h30m, 1.5h to milliseconds', () => {
  assert.is(duration('30d', '--older-than'), 30 * 86_400_000);
  assert.is(duration('12h', '--older-than'), 12 * 3_600_000);
  assert.is(duration('90m', '--older-than'), 90 * 60_000);
  assert.is(duration('45s', '--older-than'), 45_000);
  assert.is(duration('500ms', '--older-than'), 500);
  assert.is(duration('2w', '--older-than'), 14 * 86_400_000);
  assert.is(duration('1h30m', '--older-than'), 5_400_000);
  assert.is(duration('1.5h', '--older-than'), 5_400_000);
  assert.is(duration('0s', '--older-than'), 0);
  for (const bad of ['30', 'abc', '-3d', '3 d', '3D', 'd', '', '1y'])
    assert.is(thrown(() => duration(bad, '--older-than')), `--older-than must be a duration like 30d, 12h, 90m, 45s or 500ms, got ${JSON.stringify(bad)}`);
  assert.is(parseDuration('30'), undefined);
});

test('dates: ISO dates and date-times (local unless zoned), or a duration meaning that long ago', () => {
  const now = Date.parse('2025-03-10T12:00:00Z');
  assert.is(parseDate('7d', '--since', now).toISOString(), '2025-03-03T12:00:00.000Z');
  assert.is(parseDate('90m', '--since', now).toISOString(), '2025-03-10T10:30:00.000Z');
  assert.is(parseDate('2025-01-31T14:00Z', '--since').toISOString(), '2025-01-31T14:00:00.000Z');
  assert.is(parseDate('2025-01-31T14:00:05.5+02:00', '--since').toISOString(), '2025-01-31T12:00:05.500Z');
  assert.is(parseDate('2025-01-31T14:00:00-0130', '--since').toISOString(), '2025-01-31T15:30:00.000Z');
  // Without a zone: local time, as in ISO 8601 (a date is its local midnight).
  assert.is(parseDate('2025-01-31', '--since').getTime(), new Date(2025, 0, 31).getTime());
  assert.is(parseDate('2025-01-31T14:30', '--since').getTime(), new Date(2025, 0, 31, 14, 30).getTime());
  assert.is(parseDate('2025-01-31 14:30', '--since').getTime(), new Date(2025, 0, 31, 14, 30).getTime());
  assert.is(parseDate('2024-02-29', '--since').getDate(), 29);
  for (const bad of ['yesterday', '2025-02-30', '2025-13-01', '2025-1-5', '2025-01-31T25:00', '2025-01-31T12:60', '31/01/2025', '2025-01-31T12:00+25:00', '', '12'])
    assert.match(thrown(() => parseDate(bad, '--since')), new RegExp(`^--since must be a date \\(2025-01-31\\), a date-time .* or a duration meaning that long ago \\(7d, 12h\\), got ${JSON.stringify(bad).replace(/[+()]/g, '\\$&')}$`));
  assert.ok(Math.abs(date('1h', '--since').getTime() - (Date.now() - 3_600_000)) < 5_000);
});

// ---- every command: bad input is one line naming the option and the value, and a non-zero exit ----

/** Runs `args` and checks for exactly one line on stderr, `orchestai: ...`, containing every `expected` text, and exit 1. */
async function refused(args: string[], ...expected: string[]) {
  const r = await cli(args);
  assert.is(r.code, 1, `${args.join(' ')} exited ${r.code}`);
  assert.is(r.out, '', `${args.join(' ')} printed to stdout: ${r.out}`);
  assert.is(r.err.split('\n').length, 1, `not one line: ${r.err}`);
  assert.ok(r.err.startsWith('orchestai: '), r.err);
  for (const text of expected) assert.ok(r.err.includes(text), `${JSON.stringify(r.err)} does not say ${JSON.stringify(text)}`);
  return r.err;
}

/** Enough of each command line that only the option under test is wrong. */
const BASE: Record<string, string[]> = {
  run: ['run', 'test/support/slow-chain.ts'],
  runs: ['runs'],
  replay: ['replay', 'no-such-run'],
  ui: ['ui'],
  train: ['train', '--data', 'fixtures/planner/dev.jsonl', '--out', '/nonexistent/model'],
};

/** Each numeric option of each command, with what its message says about the range. */
const NUMERIC: [command: string, option: string, kind: 'positive' | 'non-negative' | 'port'][] = [
  ['runs', '--limit', 'positive'],
  ['runs', '--offset', 'non-negative'],
  ['run', '--concurrency', 'positive'],
  ['replay', '--until', 'positive'],
  ['ui', '--port', 'port'],
  ['train', '--epochs', 'positive'],
  ['train', '--seed', 'non-negative'],
  ['train', '--patience', 'positive'],
  ['train', '--hidden', 'positive'],
  ['train', '--members', 'positive'],
  ['train', '--workers', 'positive'],
];

const KIND = { positive: 'must be a positive integer', 'non-negative': 'must be a non-negative integer', port: 'must be an integer from 0 to 65535' };
const BELOW = { positive: ['0', '(1 or more)'], 'non-negative': ['-1', '(0 or more)'], port: ['-1', 'from 0 to 65535'] };

for (const [command, option, kind] of NUMERIC) {
  test(`${command} ${option} abc: not a number`, async () => {
    await refused([...BASE[command], option, 'abc'], `${option} ${KIND[kind]}, got "abc"`);
  });
  test(`${command} ${option} 2.5: not an integer`, async () => {
    await refused([...BASE[command], option, '2.5'], `${option} ${KIND[kind]}, got "2.5"`);
  });
  test(`${command} ${option} -3: negative, reaches the check (not "ambiguous")`, async () => {
    const err = await refused([...BASE[command], option, '-3'], `${option} ${KIND[kind]}`, 'got "-3"');
    assert.match(err, /\(\d or more\)|from 0 to 65535/);
  });
  test(`${command} ${option}=-3: the = form too`, async () => {
    await refused([...BASE[command], `${option}=-3`], `${option} ${KIND[kind]}`, 'got "-3"');
  });
  test(`${command} ${option} ${BELOW[kind][0]}: below the range, which the message gives`, async () => {
    await refused([...BASE[command], option, BELOW[kind][0]], `${option} ${KIND[kind]}`, BELOW[kind][1], `got "${BELOW[kind][0]}"`);
  });
  const above = kind === 'port' ? '65536' : '9007199254740992';
  test(`${command} ${option} ${above}: above the range`, async () => {
    await refused([...BASE[command], option, above], `${option} ${KIND[kind]}`, `got "${above}"`);
  });
  test(`${command} ${option} with no value`, async () => {
    await refused([...BASE[command], option], `${option} needs a value <n>`, `orchestai ${command} --help`);
  });
}

const ENUMS: [args: string[], option: string, value: string, allowed: string][] = [
  [['export', 'test/support/slow-chain.ts'], '--format', 'png', 'json, mermaid, svg or yaml'],
  [['show', 'no-such-run'], '--format', 'html', 'text or svg'],
  [['plan', 'Summarise report.md'], '--export', 'svg', 'json or mermaid'],
  [['eval', '--data', 'fixtures/planner', '--model', 'fixtures/planner/model'], '--split', 'train', 'test or dev'],
  [['eval', '--data', 'fixtures/planner'], '--baseline', 'tfidf', 'knn'],
];

for (const [args, option, value, allowed] of ENUMS) {
  test(`${args[0]} ${option} ${value}: not one of ${allowed}`, async () => {
    const err = await refused([...args, option, value]);
    assert.is(err, `orchestai: ${option} must be ${allowed}, got "${value}"`);
  });
}

const NO_ARGS = new Set(['runs', 'train', 'eval', 'ui', 'prune', 'resume']);
for (const name of ['run', 'runs', 'show', 'replay', 'resume', 'export', 'plan', 'train', 'eval', 'ui', 'approve', 'cancel', 'prune', 'delete', 'repair']) {
  test(`${name} --bogus: an unknown option`, async () => {
    const err = await refused([name, ...(NO_ARGS.has(name) ? [] : name === 'approve' ? ['x', 'y'] : ['x']), '--bogus']);
    assert.is(err, `orchestai: unknown option '--bogus' for ${name}; run \`orchestai ${name} --help\` for its options`);
  });
}

test('a misspelt option gets a suggestion', async () => {
  assert.is(await refused(['runs', '--limt', '3']), "orchestai: unknown option '--limt' for runs (did you mean --limit?); run `orchestai runs --help` for its options");
});

const MISSING: [string, string][] = [
  ['run', 'run needs <workflow|module|"instruction">'],
  ['show', 'show needs <runId>: the run to show'],
  ['replay', 'replay needs <runId|file.jsonl>'],
  ['resume', 'resume needs a run id, or --all for every interrupted run'],
  ['export', 'export needs <workflow>'],
  ['plan', 'plan needs <instruction>'],
  ['approve', 'approve needs <runId>'],
  ['cancel', 'cancel needs <runId>'],
  ['delete', 'delete needs <runId>'],
  ['repair', 'repair needs <runId>'],
];

test('operations options: durations, dates and statuses are checked before anything is touched', async () => {
  assert.match(await refused(['prune', '--older-than', 'soon']), /^orchestai: --older-than must be a duration/);
  assert.is(await refused(['prune', '--older-than', '1d', '--status', 'running']), 'orchestai: --status must be succeeded, failed, cancelled, interrupted or damaged, got "running"');
  assert.is(await refused(['prune']), 'orchestai: prune needs --older-than <duration>, e.g. --older-than 30d');
  assert.match(await refused(['runs', '--since', 'yesterday-ish']), /^orchestai: --since must be a date/);
  assert.is(await refused(['runs', '--status', 'fine']), 'orchestai: --status must be running, interrupted, succeeded, failed, cancelled or damaged, got "fine"');
  assert.is(await refused(['resume', 'r1', '--all']), 'orchestai: resume takes a run id or --all, not both');
  assert.is(await refused(['approve', 'r1']), 'orchestai: approve needs <step>: the approval step waiting for a decision');
});

for (const [name, message] of MISSING) {
  test(`${name} without its argument`, async () => {
    await refused([name], `orchestai: ${message}`);
  });
}

test('too many arguments: named, with a hint to quote', async () => {
  assert.is(await refused(['plan', 'Summarise', 'report.md']), 'orchestai: plan takes one argument (<instruction>), got 2: "Summarise" "report.md"; quote a value that has spaces');
  assert.is(await refused(['runs', 'extra']), 'orchestai: runs takes no arguments, got 1: "extra"');
});

test('an unknown command, with a suggestion when one is close', async () => {
  assert.is(await refused(['frobnicate']), 'orchestai: unknown command "frobnicate"; run `orchestai help`');
  assert.is(await refused(['rnus']), 'orchestai: unknown command "rnus" (did you mean runs?); run `orchestai help`');
  assert.is(await refused(['help', 'frobnicate']), 'orchestai: unknown command "frobnicate"; run `orchestai help`');
});

test('--debug adds the stack to a refused option, after the one-line message', async () => {
  const r = await cli(['runs', '--limit', 'abc', '--debug']);
  assert.is(r.code, 1);
  const [first, ...rest] = r.err.split('\n');
  assert.is(first, 'orchestai: --limit must be a positive integer, got "abc"');
  assert.match(rest.join('\n'), /\n\s+at /);
});

test('--json and --debug before the command apply to it', async () => {
  const r = await cli(['--json', 'runs', '--limit', '2']);
  assert.is(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out), { runs: [], total: 0 });
});

test('replay --until: negative and zero are refused; past the end is the last event, said so', async () => {
  const run = await cli(['run', 'test/support/slow-chain.ts', '--json']);
  const { runId } = JSON.parse(run.out);
  const wf = ['--workflow', 'test/support/slow-chain.ts'];
  for (const n of ['-3', '0']) {
    const r = await cli(['replay', runId, '--until', n, ...wf], run.home);
    assert.is(r.code, 1);
    assert.is(r.err, `orchestai: --until must be a positive integer (1 or more), got "${n}"`);
  }
  const past = await cli(['replay', runId, '--until', '1000', ...wf], run.home);
  assert.is(past.code, 0, past.err);
  assert.match(past.out, /^as of event #21 \(the last; asked for 1000\): succeeded$/m);
  const first = await cli(['replay', runId, '--until', '1', ...wf], run.home);
  assert.match(first.out, /^as of event #1: /m);
  assert.match(first.out, /^event #1: run\.started$/m);
});

test('defaults and parsed values reach the command: runs --limit/--offset page the list', async () => {
  const home = (await cli(['run', 'test/support/slow-chain.ts', '--json'])).home;
  for (let i = 0; i < 2; i++) await cli(['run', 'test/support/slow-chain.ts', '--json'], home);
  const all = JSON.parse((await cli(['runs', '--json'], home)).out);
  assert.is(all.total, 3);
  assert.is(all.runs.length, 3);
  const page = JSON.parse((await cli(['runs', '--json', '--limit', '1', '--offset', '1'], home)).out);
  assert.equal(page.runs.map((r: any) => r.runId), [all.runs[1].runId]);
  const text = await cli(['runs', '--limit', '2'], home);
  assert.match(text.out, /^2 of 3 runs$/m);
});

test.run();
