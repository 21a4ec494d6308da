// A consumer compiled without Node's types (`types: []`, as for a bundled or edge build): the
// package's declarations name no Node-only type, so every entry point type-checks on its own.
import * as root from 'orchestai';
import { plan, type Plan, type PlanOptions } from 'orchestai/planner';
import * as workflows from 'orchestai/workflows';
import * as transformers from 'orchestai/transformers';
import * as machines from 'orchestai/machines';
import * as router from 'orchestai/router';
import * as providers from 'orchestai/providers';

// Options carry an environment as a plain record of strings.
const options: PlanOptions = { llm: null, env: { ORCHESTAI_LLM_MODEL: undefined } };
export const planned: Promise<Plan> = plan('Summarise notes.md', options);
export const entries: unknown[] = [root, workflows, transformers, machines, router, providers];
