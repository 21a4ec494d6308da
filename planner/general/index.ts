/** The general planner: catalog-independent request-to-tool scoring, fitted once, used on any catalog. */
export { createGeneralPlanner } from './planner.ts';
export { asOpenWeights, fitGeneralModel, forCatalog, loadGeneralModel, saveGeneralModel, isGeneralModelDir, GENERAL_MODEL_FILE, GENERAL_MODEL_DIR, type GeneralModel, type FitGeneralOptions, type OpenWeights } from './model.ts';
export { catalogView, type CatalogView } from './catalog-view.ts';
export { adaptWithExamples, adaptWithExamplesReported, type LeaveOneOut } from './few-shot.ts';
export { synthesizeExamples, type SynthesisOptions } from './synthetic.ts';
export { fitPlanVerifier } from './fit-verifier.ts';
export { type PlanVerifier } from './verifier.ts';
