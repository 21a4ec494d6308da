import type { Workflow } from '../../machines/index.ts';
import type { HistoryEvent } from '../../machines/history/events.ts';

/**
 * One live status line on a TTY: steps done / running / failed, attempts, elapsed.
 * Events only update counters; a 100 ms timer redraws, so a fast run is not slowed by the
 * terminal and a slow step still shows as running.
 */
export class Progress {
  private readonly done = new Set<string>();
  private readonly running = new Set<string>();
  private readonly failed = new Set<string>();
  private attempts = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly total: number;

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
    this.draw();
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref();
  }

  finish(): void {
    clearInterval(this.timer);
    this.draw();
    this.write('\n');
  }

  private draw(): void {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1);
    const running = [...this.running].slice(0, 3).join(', ');
    this.write(`\r\x1b[2K${this.done.size}/${this.total} done, ${this.running.size} running${running ? ` (${running})` : ''}, ${this.failed.size} failed, ${this.attempts} attempts, ${elapsed}s`);
  }
}
