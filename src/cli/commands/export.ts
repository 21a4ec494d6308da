import fs from 'node:fs';
import { compileWorkflow, toMermaid } from '../../../machines/index.ts';
import { CliError, defineCommand } from '../command.ts';
import { resolveWorkflowRef } from '../../project/resolve.ts';

/** The SVG renderer loads elkjs, which the JSON and Mermaid formats do not need. */
const loadSvgRenderer = () => import('../../viz/svg.ts');

export default defineCommand({
  name: 'export',
  summary: "Print a workflow's statechart: JSON machine config (Stately Studio / createMachine), Mermaid, or SVG.",
  usage: 'export <workflow> [--format json|mermaid|svg] [--out file]',
  options: { format: { type: 'string' }, out: { type: 'string' } },
  async run({ positionals, values, io }) {
    if (!positionals[0]) throw new CliError('export needs a workflow: a built-in name, a workflow id of orchestai.config.ts, or a module path');
    const { workflow } = await resolveWorkflowRef(positionals[0], io.cwd);
    const compiled = compileWorkflow(workflow);
    const format = values.format ?? 'json';
    let text: string;
    if (format === 'json') text = JSON.stringify(compiled.config, null, 2);
    else if (format === 'mermaid') text = toMermaid(compiled);
    else if (format === 'svg') {
      text = await (await loadSvgRenderer()).renderWorkflowSvg(compiled.config);
    } else throw new CliError(`unknown --format ${JSON.stringify(format)}: use json, mermaid or svg`);
    if (values.out) {
      fs.writeFileSync(values.out, text);
      io.err(`wrote ${values.out}`);
    } else io.out(text);
    return 0;
  },
});
