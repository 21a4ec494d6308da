import type { Workflow } from '../../machines/index.ts';
import type { HistoryEvent } from '../../machines/history/events.ts';

/**
 * One live status line on a TTY: steps done / running / failed, attempts, elapsed.
 * Events only update counters; a 100 ms timer redraws, so a fast run is not slowed by the
 * terminal and a slow step still shows as running. While a question is asked on the terminal
 * (`whilePaused`), the line clears itself and stops redrawing, so it does not overwrite the prompt.
 */
export class Progress {
  private readonly done = new Set<string>();
  private readonly running = new Set<string>();
  private readonly failed = new Set<string>();
  private attempts = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly total: number;
  /** Prompts being shown (two steps may wait for approval at once). */
  private pauses = 0;
  private live = false;

  constructor(workflow: Workflow, private readonly write: (s: string) => void) {
    this.total = workflow.steps.length;
  }

  update(e: HistoryEvent): void {
    if (e.type === 'step.started') {
      this.running.add(e.step);
      this.failed.delete(e.step);
      this.attempts++;
    } else if (e.type === 'step.succeeded') {
      this.running.delete(e.step);
      this.done.add(e.step);
    } else if (e.type === 'step.failed') {
      this.running.delete(e.step);
      this.failed.add(e.step);
    }
  }

  start(): void {
    this.live = true;
    if (this.pauses === 0) this.resumeDrawing();
  }

  /**
   * Clears the line and stops redrawing until `resume` has been called as often as `pause`.
   *
   * @example
   * progress.pause(); const ok = await io.confirm('Approve?'); progress.resume();
   */
  pause(): void {
    if (this.pauses++ > 0 || !this.live) return;
    this.stopDrawing();
    this.write('\r\x1b[2K');
  }

  /** Ends a `pause`; the last one redraws the line and restarts the timer. */
  resume(): void {
    if (this.pauses === 0) return;
    if (--this.pauses === 0 && this.live) this.resumeDrawing();
  }

  /**
   * Runs `ask` (a prompt) with the line paused.
   *
   * @example
   * const ok = await progress.whilePaused(() => io.confirm('Approve?'));
   */
  async whilePaused<T>(ask: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await ask();
    } finally {
      this.resume();
    }
  }

  /** Stops for good: draws the final line, unless a prompt is still on the screen. */
  finish(): void {
    if (!this.live) return;
    this.live = false;
    this.stopDrawing();
    if (this.pauses > 0) return;
    this.draw();
    this.write('\n');
  }

  private resumeDrawing(): void {
    this.draw();
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref();
  }

  private stopDrawing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private draw(): void {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1);
    const running = [...this.running].slice(0, 3).join(', ');
    this.write(`\r\x1b[2K${this.done.size}/${this.total} done, ${this.running.size} running${running ? ` (${running})` : ''}, ${this.failed.size} failed, ${this.attempts} attempts, ${elapsed}s`);
  }
}
