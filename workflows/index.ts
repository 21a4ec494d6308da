/**
 * `orchestai/workflows`: the built-in workflows and workers, and the OpenAI-compatible LLM worker.
 * Every built-in worker is local, deterministic code; the LLM workers exist only when configured.
 */
export { buildWebsite } from './build-website.ts';
export { paperToPresentation } from './paper-to-presentation.ts';
export { documentReport } from './document-report.ts';
export { linearPipeline, type LinearPipelineOptions } from './linear-pipeline.ts';
export { builtinWorkflows } from './builtins.ts';
export { defaultWorkers } from './catalog.ts';
export { llmWorker, llmWorkers, llmConfigFromEnv, LlmError, LlmRejectedError, LlmOutputError, type LlmConfig, type LlmWorkerSpec } from './llm.ts';
export { mcpWorkers, parseMcpCommand, McpToolError, type McpSpec, type McpConnection } from './mcp/index.ts';
