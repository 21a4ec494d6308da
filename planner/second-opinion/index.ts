export { headFeatures, headWords, toolProbabilities, trainHead, DEFAULT_HEAD_FEATURES, DEFAULT_HEAD_TRAINING, type HeadFeatures, type HeadTraining, type SecondOpinionHead } from './head.ts';
export { readSecondOpinion, saveSecondOpinion, SECOND_OPINION_FILE, type SavedSecondOpinion } from './io.ts';
export { overruled, secondOpinionVoter, withSecondOpinion } from './overrule.ts';
