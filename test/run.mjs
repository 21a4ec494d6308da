#!/usr/bin/env node
// Runs every uvu test file and ends with one plain `N passed, N failed, N skipped` line,
// the summary CI reads (uvu's own summary is spread over several lines).
import { spawn } from 'node:child_process';

const child = spawn(process.execPath, ['node_modules/uvu/bin.js', '-r', 'tsx', 'test', '\\.test\\.ts$', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
});
let text = '';
child.stdout.on('data', (d) => {
  process.stdout.write(d);
  text += d;
});
child.on('close', (code) => {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const num = (label) => Number(plain.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? 0);
  // uvu's Total counts the tests that ran; skipped ones are reported apart and not in it.
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped');
  const failed = total - passed;
  process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exitCode = code || (failed > 0 ? 1 : 0) || (total === 0 ? 1 : 0);
});
