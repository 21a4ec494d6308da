/**
 * Workflow files: a workflow written as YAML or JSON data, checked against a published JSON
 * Schema, with every error at `file:line:column`, compiled to the same definition as code.
 */
export { parseWorkflowFile, positionOf, errorAt, type WorkflowFile, type DataPath } from './parse.ts';
export { WorkflowFileError, type SourcePosition } from './errors.ts';
export { toWorkflowSpec, workflowFromFile, workerRefs, type ResolveWorker, type ToSpecOptions } from './spec.ts';
export { workflowToYaml, type ToYamlOptions } from './export.ts';
export { workflowJsonSchema, WorkflowFileSchema, type WorkflowFileData, type WorkerRef, type InputExpression, type OutputExpression, type Condition } from './schema.ts';
