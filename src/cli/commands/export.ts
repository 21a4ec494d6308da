import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileWorkflow, toMermaid, workflowToYaml } from '../../../machines/index.ts';
import { CliError, defineCommand } from '../command.ts';
import { resolveWorkflowRef } from '../../project/resolve.ts';
import { workerRefFor } from '../../project/workflow-file.ts';

/** The SVG renderer loads elkjs, which the JSON and Mermaid formats do not need. */
const loadSvgRenderer = () => import('../../viz/svg.ts');

/** The workflow file JSON Schema shipped with the package, for the exported file's editor line. */
const SCHEMA_FILE = fileURLToPath(new URL('../../../machines/yaml/workflow.schema.json', import.meta.url));

export default defineCommand({
  args: [{ name: 'workflow', help: 'a built-in name, a workflow id of orchestai.config.ts, a module path or a workflow file (.yaml, .json)' }],
  options: {
    format: { help: 'XState machine config (JSON), a Mermaid state diagram, an SVG drawing, or a workflow file (YAML)', choices: ['json', 'mermaid', 'svg', 'yaml'], default: 'json' },
    out: { help: 'write to this file instead of stdout', value: 'file' },
  },
  async run({ positionals, values, io }) {
    if (!positionals[0]) throw new CliError('export needs a workflow: a built-in name, a workflow id of orchestai.config.ts, a module path or a workflow file');
    const resolved = await resolveWorkflowRef(positionals[0], io.cwd);
    const out = values.out ? path.resolve(io.cwd, values.out) : undefined;
    let text: string;
    try {
      const { workflow } = resolved;
      const compiled = compileWorkflow(workflow);
      const format = values.format;
      if (format === 'json') text = JSON.stringify(compiled.config, null, 2);
      else if (format === 'mermaid') text = toMermaid(compiled);
      else if (format === 'svg') text = await (await loadSvgRenderer()).renderWorkflowSvg(compiled.config);
      else if (format === 'yaml') {
        const dir = out ? path.dirname(out) : io.cwd;
        const schema = fs.existsSync(SCHEMA_FILE) ? path.relative(dir, SCHEMA_FILE).split(path.sep).join('/') : undefined;
        text = workflowToYaml(workflow, { workerRef: (w) => workerRefFor(w, dir), schema });
      } else throw new CliError(`unknown --format ${JSON.stringify(format)}: use json, mermaid, svg or yaml`);
    } finally {
      await resolved.close?.();
    }
    if (out) {
      fs.writeFileSync(out, text);
      io.err(`wrote ${values.out}`);
    } else io.out(text);
    return 0;
  },
});
