import type { Workflow } from '../../machines/index.ts';
import type { HistoryEvent } from '../history/events.ts';

/**
 * One live status line on a TTY: steps done / running / failed, attempts, elapsed.
 * Redrawn at most every 100 ms so a fast run is not slowed by the terminal.
 */
export class Progress {
  private readonly done = new Set<string>();
  private readonly running = new Set<string>();
  private readonly failed = new Set<string>();
  private attempts = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
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
    const now = Date.now();
    if (now - this.lastDraw > 100 || e.type === 'run.finished') {
      this.lastDraw = now;
      this.draw();
    }
  }

  finish(): void {
    this.draw();
    this.write('\n');
  }

  private draw(): void {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1);
    const running = [...this.running].slice(0, 3).join(', ');
    this.write(`\r\x1b[2K${this.done.size}/${this.total} done, ${this.running.size} running${running ? ` (${running})` : ''}, ${this.failed.size} failed, ${this.attempts} attempts, ${elapsed}s`);
  }
}
