import fs from 'node:fs';
import { compileWorkflow, toMermaid } from '../../../machines/index.ts';
import { CliError, defineCommand } from '../command.ts';
import { resolveWorkflowRef } from '../../project/resolve.ts';

/** The SVG renderer loads elkjs, which the JSON and Mermaid formats do not need. */
const loadSvgRenderer = () => import('../../viz/svg.ts');

export default defineCommand({
  args: [{ name: 'workflow', help: 'a built-in name, a workflow id of orchestai.config.ts, or a module path' }],
  options: {
    format: { help: 'XState machine config (JSON), a Mermaid state diagram, or an SVG drawing', choices: ['json', 'mermaid', 'svg'], default: 'json' },
    out: { help: 'write to this file instead of stdout', value: 'file' },
  },
  async run({ positionals, values, io }) {
    if (!positionals[0]) throw new CliError('export needs a workflow: a built-in name, a workflow id of orchestai.config.ts, or a module path');
    const { workflow } = await resolveWorkflowRef(positionals[0], io.cwd);
    const compiled = compileWorkflow(workflow);
    const format = values.format;
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
