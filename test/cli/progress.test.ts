import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Workflow } from '../../machines/index.ts';
import { Progress } from '../../src/cli/progress.ts';

const CLEAR = '\r\x1b[2K';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const workflow = { steps: [{ id: 'a' }, { id: 'b' }] } as unknown as Workflow;

/** A Progress writing into an array, as a terminal would receive it. */
function fake() {
  const writes: string[] = [];
  const progress = new Progress(workflow, (s) => writes.push(s));
  return { progress, writes };
}

test('the line redraws itself every 100 ms while running', async () => {
  const { progress, writes } = fake();
  progress.start();
  progress.update({ type: 'step.started', step: 'a', worker: 'w', attempt: 1, input: null } as any);
  await sleep(250);
  progress.finish();
  assert.ok(writes.length >= 3, `${writes.length} writes`);
  assert.ok(writes.slice(0, -1).every((w) => w.startsWith(CLEAR)));
  assert.match(writes.at(-2)!, /^\r\x1b\[2K0\/2 done, 1 running \(a\), 0 failed, 1 attempts, /);
  assert.is(writes.at(-1), '\n');
});

test('a prompt pauses the line: it clears itself, stays quiet while the question is open, and comes back after', async () => {
  const { progress, writes } = fake();
  progress.start();
  let duringPrompt = -1;
  const answer = await progress.whilePaused(async () => {
    assert.is(writes.at(-1), CLEAR, 'the line is cleared before the prompt is shown');
    duringPrompt = writes.length;
    await sleep(350); // three redraws would have happened
    assert.is(writes.length, duringPrompt, 'nothing is drawn over the prompt');
    return true;
  });
  assert.is(answer, true);
  assert.is(writes.length, duringPrompt + 1, 'redrawn once, right after the answer');
  assert.match(writes.at(-1)!, /^\r\x1b\[2K0\/2 done/);
  await sleep(250);
  assert.ok(writes.length >= duringPrompt + 3, 'redrawing again');
  progress.finish();
});

test('two prompts at once: the line stays paused until both are answered; a throwing prompt still resumes', async () => {
  const { progress, writes } = fake();
  progress.start();
  progress.pause();
  progress.pause();
  const n = writes.length;
  progress.resume();
  await sleep(150);
  assert.is(writes.length, n, 'one prompt is still open');
  progress.resume();
  assert.is(writes.length, n + 1);
  progress.resume(); // unmatched: ignored
  const failed = await progress.whilePaused(async () => Promise.reject(new Error('closed'))).catch((e: Error) => e.message);
  assert.is(failed, 'closed');
  const after = writes.length;
  await sleep(150);
  assert.ok(writes.length > after, 'redrawing after the failed prompt');
  progress.finish();
});

test('a run that ends during a prompt does not draw over it, and a late resume draws nothing', async () => {
  const { progress, writes } = fake();
  progress.start();
  progress.pause();
  const n = writes.length;
  progress.finish();
  progress.resume();
  await sleep(150);
  assert.is(writes.length, n);
});

test('a prompt before start: the line first appears once it is answered', async () => {
  const { progress, writes } = fake();
  progress.pause();
  progress.start();
  assert.equal(writes, []);
  progress.resume();
  assert.is(writes.length, 1);
  progress.finish();
});

test.run();
