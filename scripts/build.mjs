#!/usr/bin/env node
// `npm run build`: compiles the package into dist/ with tsc (tsconfig.build.json), copies the files
// the compiled code reads at run time next to it, and checks that no emitted module still imports
// a .ts file (TypeScript leaves some dynamic imports unrewritten; see checkSpecifiers).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

/**
 * Data the compiled modules read through `new URL(rel, import.meta.url)`. dist/ mirrors the source
 * tree, so copying each to the same relative place keeps those URLs right in both layouts.
 * Only what users need: the default planner model and catalog, the built-in workflows' sample
 * inputs, the viewer's page assets, the training thread's entry. Not the planner's training data.
 */
const ASSETS = [
  'fixtures/planner/model',
  'fixtures/planner/general',
  'fixtures/planner/catalog.json',
  'fixtures/papers',
  'fixtures/briefs',
  'src/ui/assets',
  'machines/yaml/workflow.schema.json',
];

function compile() {
  fs.rmSync(dist, { recursive: true, force: true });
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`tsc failed (exit ${r.status})`);
}

function copyAssets() {
  for (const rel of ASSETS) fs.cpSync(path.join(root, rel), path.join(dist, rel), { recursive: true });
}

/** Relative specifiers of import/export/import() statements, capturing the quote and the path. */
const RELATIVE_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

/** Every relative specifier in an emitted file's code (comments left out: JSDoc examples are not imports). */
function* specifiers(file) {
  const code = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(RELATIVE_SPECIFIER)) yield m[3];
}

/**
 * tsc rewrites `.ts` specifiers in the JavaScript it emits but keeps them in declaration files.
 * TypeScript 5 reads those, but older compilers and other tools reject a `.ts` import, so the
 * declarations name the `.js` files they sit beside, as hand-written ones would.
 */
function rewriteDeclarationSpecifiers() {
  for (const file of walk(dist)) {
    if (!file.endsWith('.d.ts')) continue;
    const text = fs.readFileSync(file, 'utf8');
    const out = text.replace(RELATIVE_SPECIFIER, (all, head, q, spec) => (/\.ts$/.test(spec) && !spec.endsWith('.d.ts') ? `${head}${q}${spec.slice(0, -3)}.js${q}` : all));
    if (out !== text) fs.writeFileSync(file, out);
  }
}

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(js|d\.ts)$/.test(e.name)) yield p;
  }
}

/**
 * TypeScript 5.9 rewrites `.ts` specifiers to `.js` except for a dynamic import inside a call's
 * arguments; such a module would fail only when that line runs. Fail the build instead, and also
 * on any relative import whose target was not emitted.
 */
function checkSpecifiers() {
  const problems = [];
  for (const file of walk(dist)) {
    for (const spec of specifiers(file)) {
      const rel = path.relative(root, file);
      const target = path.resolve(path.dirname(file), file.endsWith('.d.ts') ? spec.replace(/\.js$/, '.d.ts') : spec);
      if (/\.[cm]?tsx?$/.test(spec) && !spec.endsWith('.d.ts')) problems.push(`${rel}: imports "${spec}" (a .ts specifier left in the build)`);
      else if (!fs.existsSync(target)) problems.push(`${rel}: imports "${spec}", which the build does not contain`);
    }
  }
  if (problems.length) throw new Error(`build check failed:\n  ${problems.join('\n  ')}`);
}

function makeBinExecutable() {
  const bin = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).bin ?? {};
  for (const rel of Object.values(bin)) fs.chmodSync(path.join(root, rel), 0o755);
}

try {
  const t0 = performance.now();
  compile();
  copyAssets();
  rewriteDeclarationSpecifiers();
  checkSpecifiers();
  makeBinExecutable();
  console.error(`build: dist/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`build: ${e.message}`);
  process.exit(1);
}
