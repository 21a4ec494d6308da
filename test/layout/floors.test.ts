import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The layout is the architecture: floors import only downward, planner/ and workflows/ never
 * import each other, nothing in the library imports tests, benches or scripts, and the viewer
 * imports no CLI command. Checked on every import specifier, static or dynamic.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const FLOOR: Record<string, number> = { transformers: 1, machines: 2, providers: 2, planner: 3, workflows: 3, src: 4 };
const OUTSIDE = ['test', 'bench', 'scripts', 'fixtures'];

function* sourceFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

/** Relative specifiers of import/export/import() in code (comments removed first: examples are not imports). */
function relativeImports(file: string): string[] {
  const code = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)].map((m) => m[2]);
}

function violations(root: string): string[] {
  const top = (abs: string) => path.relative(root, abs).split(path.sep)[0];
  const found: string[] = [];
  for (const from of Object.keys(FLOOR)) {
    if (!fs.existsSync(path.join(root, from))) continue;
    for (const file of sourceFiles(path.join(root, from))) {
      for (const spec of relativeImports(file)) {
        const target = path.resolve(path.dirname(file), spec);
        const to = top(target);
        const where = `${path.relative(root, file)} imports ${spec}`;
        if (OUTSIDE.includes(to)) found.push(`${where}: the library must not import ${to}/`);
        else if (FLOOR[to] === undefined) found.push(`${where}: outside the floors`);
        else if (FLOOR[to] > FLOOR[from]) found.push(`${where}: ${from}/ (floor ${FLOOR[from]}) imports ${to}/ (floor ${FLOOR[to]})`);
        else if (FLOOR[to] === FLOOR[from] && to !== from) found.push(`${where}: ${from}/ and ${to}/ must not import each other`);
        else if (path.relative(root, file).startsWith('src/ui/') && path.relative(root, target).startsWith('src/cli/commands/')) found.push(`${where}: the viewer imports a CLI command`);
      }
    }
  }
  return found;
}

test('floors import only downward; planner/ and workflows/ are independent; the viewer imports no CLI command', () => {
  assert.equal(violations(ROOT), []);
});

test('the checker sees an upward import, a sideways one and a viewer-to-CLI one (it can fail)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-floors-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('machines/a.ts', "export { run } from '../src/run.ts';\n");
  write('planner/b.ts', "const w = () => import('../workflows/c.ts');\n");
  write('src/ui/d.ts', "import x from '../cli/commands/plan.ts';\n");
  assert.equal(violations(root), [
    'machines/a.ts imports ../src/run.ts: machines/ (floor 2) imports src/ (floor 4)',
    'planner/b.ts imports ../workflows/c.ts: planner/ and workflows/ must not import each other',
    'src/ui/d.ts imports ../cli/commands/plan.ts: the viewer imports a CLI command',
  ]);
});

test.run();
