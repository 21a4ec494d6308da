import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inProject, packedProject, ROOT } from '../support/packed.ts';
import { servicesAvailable, sharedPostgres, sharedRedis } from '../support/services.ts';

/**
 * Docs that run: every TypeScript or JavaScript block of README.md is either written to a file of a
 * new project that uses the packed package (its info string names the file: ```ts file=main.ts)
 * and executed there, or marked ```ts fragment. The TypeScript blocks are also type-checked strictly.
 * Any other block with `file=` (a YAML workflow) is written too; a code block marked `written` is a
 * file the others use (an MCP server), not run on its own; every line of a ```sh exec block is run
 * in the project, in README order with the code blocks, and must succeed.
 */

interface Block { lang: string; file?: string; fragment: boolean; written: boolean; exec: boolean; code: string; line: number }

const CODE_LANGS = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs']);

/** The fenced code blocks of a Markdown text, with their info strings parsed. */
export function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end === -1) throw new Error(`README.md:${i + 1}: a code block is never closed`);
    const meta = open[2].split(/\s+/);
    const file = meta.find((m) => m.startsWith('file='))?.slice('file='.length);
    blocks.push({ lang: open[1], file, fragment: meta.includes('fragment'), written: meta.includes('written'), exec: meta.includes('exec'), code: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 });
    i = end;
  }
  return blocks;
}

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = codeBlocks(readme);
const code = blocks.filter((b) => CODE_LANGS.has(b.lang));

test('every TypeScript and JavaScript block of the README is executed or marked as a fragment', () => {
  const unmarked = code.filter((b) => !b.file && !b.fragment).map((b) => `README.md:${b.line}: a ${b.lang} block needs file=<name> (executed by the tests) or fragment`);
  assert.equal(unmarked, []);
  assert.ok(code.some((b) => b.file), 'the README executes no code block');
});

test("the README's code runs as printed against the packed package", async () => {
  const { project: installed } = await packedProject();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-readme-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'readme', private: true, type: 'module' }));
  fs.symlinkSync(path.join(installed, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const files = code.filter((b) => b.file && !b.fragment);
  for (const b of blocks.filter((b) => b.file && !b.fragment)) fs.writeFileSync(path.join(dir, b.file!), b.code);
  const typescript = files.filter((b) => b.lang === 'ts' || b.lang === 'typescript').map((b) => b.file!);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: typescript }));
  inProject(dir, process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--typeRoots', path.join(ROOT, 'node_modules/@types')]);
  // Each block in README order, as a user would: TypeScript through tsx (installed with orchestai),
  // shell lines through bash (npx finds the installed orchestai; nothing is downloaded). A block of
  // the scale-out path gets a PostgreSQL and a Redis of the test's own in ORCHESTAI_STORE / ORCHESTAI_REDIS.
  for (const b of blocks.filter((b) => (b.file && !b.fragment && !b.written && CODE_LANGS.has(b.lang)) || (b.lang === 'sh' && b.exec))) {
    const env = /ORCHESTAI_(STORE|REDIS)/.test(b.code) ? await servicesEnv(b) : {};
    if (env === undefined) continue;
    if (b.exec) {
      for (const line of b.code.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'))) inProject(dir, 'bash', ['-c', line], env);
      continue;
    }
    const args = typescript.includes(b.file!) ? ['--import', 'tsx', b.file!] : [b.file!];
    inProject(dir, process.execPath, args, env);
  }
  const runs = path.join(dir, '.orchestai/runs');
  const histories = fs.existsSync(runs) ? fs.readdirSync(runs) : [];
  assert.ok(histories.length > 0, 'the README runs nothing');
  for (const h of histories) {
    const last = JSON.parse(fs.readFileSync(path.join(runs, h), 'utf8').trim().split('\n').at(-1)!);
    assert.equal([h, last.type, last.status], [h, 'run.finished', 'succeeded']);
  }
  // The project config of the README finds the run it started, by id.
  const [runId] = histories.map((h) => h.replace(/\.jsonl$/, ''));
  const replay = JSON.parse(inProject(dir, 'npx', ['--no-install', 'orchestai', 'replay', runId, '--json']));
  assert.equal([replay.ok, replay.status], [true, 'succeeded']);
});

/** The services a scale-out block needs, or undefined (the block is skipped) where they are not installed, outside CI. */
async function servicesEnv(b: Block): Promise<Record<string, string> | undefined> {
  const available = servicesAvailable();
  if (!available.postgres || !available.redis) {
    if (process.env.CI) throw new Error(`README.md:${b.line}: needs PostgreSQL and Redis, which CI installs (.ci/services.sh)`);
    console.log(`skipped README.md:${b.line}: postgres or redis not installed`);
    return undefined;
  }
  const [pg, redis] = await Promise.all([sharedPostgres(), sharedRedis()]);
  return { ORCHESTAI_STORE: pg.url, ORCHESTAI_REDIS: redis.url };
}

test('codeBlocks reads info strings and the tests see an unmarked block (they can fail)', () => {
  const md = ['```ts file=a.ts', 'x', '```', '```js fragment', 'y', '```', '```ts', 'z', '```', '```js file=s.mjs written', 'w', '```', '```sh exec', 'npx orchestai runs', '```'].join('\n');
  const blocks = codeBlocks(md);
  assert.equal(blocks.map((b) => [b.lang, b.file, b.fragment, b.written, b.exec, b.line]), [['ts', 'a.ts', false, false, false, 1], ['js', undefined, true, false, false, 4], ['ts', undefined, false, false, false, 7], ['js', 's.mjs', false, true, false, 10], ['sh', undefined, false, false, true, 13]]);
});

test.run();
