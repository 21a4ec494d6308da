import { contentStems } from '../encode/stems.ts';
import type { RememberedExample } from './examples.ts';

/** A word says something about the tools only once this many remembered requests use it. */
const MIN_EXAMPLES = 2;
/** Pseudo-requests that pull a word's share of a tool toward the tool's base rate. */
const SMOOTHING = 1;

/**
 * Which tools the words of remembered requests go with. For each content stem that at least two
 * remembered requests use, and each tool some remembered plan uses: how much likelier the tool is
 * in a request with that word than in any (its smoothed share among them minus its base rate). A
 * user's examples teach, word by word, what no tool text says ("gist" goes with summarise, "vibe"
 * with sentiment), where the whole-request neighbours recall only requests worded alike.
 *
 * @example
 * new WordTools(examples).lift('whats the vibe in chat.txt').get('sentiment') // 0.6
 */
export class WordTools {
  private readonly stems: ReadonlySet<string>[];
  private readonly tools: ReadonlySet<string>[];
  private readonly requestsWith = new Map<string, number>();
  private readonly plansWith = new Map<string, number>();
  private readonly together = new Map<string, Map<string, number>>();

  constructor(examples: readonly RememberedExample[]) {
    this.stems = examples.map((e) => new Set(contentStems(e.request)));
    this.tools = examples.map((e) => new Set(e.nodes));
    examples.forEach((_, i) => {
      for (const t of this.tools[i]) this.plansWith.set(t, (this.plansWith.get(t) ?? 0) + 1);
      for (const w of this.stems[i]) {
        this.requestsWith.set(w, (this.requestsWith.get(w) ?? 0) + 1);
        let byTool = this.together.get(w);
        if (!byTool) this.together.set(w, (byTool = new Map()));
        for (const t of this.tools[i]) byTool.set(t, (byTool.get(t) ?? 0) + 1);
      }
    });
  }

  /**
   * Per remembered tool, the summed lift of `request`'s words, clipped to [-1, 1] (absent when no
   * word of it says anything). `skip` leaves one remembered request out (leave-one-out tuning).
   */
  lift(request: string, skip = -1): Map<string, number> {
    const out = new Map<string, number>();
    const left = (x: ReadonlySet<string> | undefined, key: string) => (x?.has(key) ? 1 : 0);
    const n = this.stems.length - (skip >= 0 ? 1 : 0);
    const words = [...new Set(contentStems(request))].filter((w) => (this.requestsWith.get(w) ?? 0) - left(this.stems[skip], w) >= MIN_EXAMPLES);
    if (words.length === 0 || n <= 0) return out;
    for (const [tool, plans] of this.plansWith) {
      const base = (plans - left(this.tools[skip], tool)) / n;
      let sum = 0;
      for (const w of words) {
        const withWord = this.requestsWith.get(w)! - left(this.stems[skip], w);
        const both = (this.together.get(w)!.get(tool) ?? 0) - (left(this.stems[skip], w) && left(this.tools[skip], tool));
        sum += (both + SMOOTHING * base) / (withWord + SMOOTHING) - base;
      }
      out.set(tool, Math.max(-1, Math.min(1, sum)));
    }
    return out;
  }
}
