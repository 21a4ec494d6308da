import type { Catalog, Example } from '../types.ts';
import { seededRandom } from './split.ts';

/**
 * A tiny synthetic planning domain for tests and smoke runs: eight tools, a tool graph, and
 * instructions generated from several phrasings per tool, chained along the graph. Not a benchmark:
 * it only has to be learnable, so a test can prove that training learns.
 */
const TOOLS: { name: string; description: string; phrases: string[] }[] = [
  { name: 'search_web', description: 'Search the web for pages', phrases: ['search the web for {x}', 'look up {x} online', 'find pages about {x}'] },
  { name: 'summarize_text', description: 'Summarize a long text', phrases: ['summarize it', 'give me a short summary', 'condense the findings'] },
  { name: 'translate_text', description: 'Translate text into another language', phrases: ['translate it to French', 'put it in Spanish', 'translate the result'] },
  { name: 'send_email', description: 'Send an email message', phrases: ['email it to my boss', 'send it by mail', 'mail the result to the team'] },
  { name: 'fetch_weather', description: 'Get the weather forecast', phrases: ['check the weather in {x}', 'get the forecast for {x}', 'what is the weather in {x}'] },
  { name: 'create_reminder', description: 'Create a reminder', phrases: ['remind me about it', 'set a reminder', 'create a reminder for it'] },
  { name: 'book_flight', description: 'Book a flight ticket', phrases: ['book a flight to {x}', 'reserve a plane ticket to {x}', 'get me a flight to {x}'] },
  { name: 'resize_image', description: 'Resize an image', phrases: ['resize the picture of {x}', 'shrink the image of {x}', 'make the photo of {x} smaller'] },
];
const LINKS: [string, string][] = [
  ['search_web', 'summarize_text'], ['summarize_text', 'translate_text'], ['summarize_text', 'send_email'],
  ['translate_text', 'send_email'], ['fetch_weather', 'create_reminder'], ['fetch_weather', 'send_email'],
  ['book_flight', 'create_reminder'], ['book_flight', 'send_email'], ['resize_image', 'send_email'],
];
const THINGS = ['Paris', 'Tokyo', 'the project', 'solar panels', 'Berlin', 'my cat', 'the budget'];
const GLUE = [', then ', ' and then ', '. After that ', ', and finally '];

/**
 * The synthetic catalog.
 *
 * @example
 * syntheticCatalog().tools.length // 8
 */
export function syntheticCatalog(): Catalog {
  return {
    tools: TOOLS.map(({ name, description }) => ({ name, description })),
    links: LINKS.map(([source, target]) => ({ source, target })),
  };
}

/**
 * `n` synthetic examples (chains of 1 to 3 tools along the graph), deterministic for a seed.
 *
 * @example
 * syntheticExamples(50, 1)[0] // { id: 's0', request: 'look up Tokyo online, then summarize it', nodes: [...], links: [...] }
 */
export function syntheticExamples(n: number, seed: number): Example[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const succ = new Map<string, string[]>();
  for (const [s, t] of LINKS) succ.set(s, [...(succ.get(s) ?? []), t]);
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(rand() * 3);
    const nodes = [pick(TOOLS).name];
    while (nodes.length < len) {
      const next = succ.get(nodes[nodes.length - 1]);
      if (!next) break;
      nodes.push(pick(next));
    }
    const x = pick(THINGS);
    const parts = nodes.map((name) => pick(TOOLS.find((t) => t.name === name)!.phrases).replace('{x}', x));
    let request = parts[0];
    for (let j = 1; j < parts.length; j++) request += pick(GLUE) + parts[j];
    out.push({ id: `s${i}`, request, nodes, links: nodes.slice(1).map((t, j) => ({ source: nodes[j], target: t })) });
  }
  return out;
}
