/** Zero-shot planning over a catalog no model was trained on (clause-to-tool matching). */
export { splitRequestClauses } from './clauses.ts';
export { ToolIndex, toolDocument, withOutputTags, type ToolIndexOptions, type ToolText } from './tool-index.ts';
export { createZeroShotPlanner, DEFAULT_ZERO_SHOT_THRESHOLD, type ZeroShotOptions, type ZeroShotPlan, type ZeroShotPlanner } from './matcher.ts';
