// What cells see as `train`.
export { fit, latestHistory, optimizerOf, trainableVariables } from './fit';
export type { FitOptions } from './fit';
export { evaluate, confusionMatrix, showPredictions, Evaluation, ConfusionMatrix } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export { History } from './history';
export type { EpochRecord } from './history';
export { createOptimizer } from './optimizers';
export type { OptimizerName } from './optimizers';
export { imagesPerSecond, measureSpeed, readableTime, type SpeedMeasurement } from './measure-speed';
export type { ImagesPerSecondOptions } from './measure-speed';
export { saveModel, loadModel, deleteModel, listModels, exportModel, serializeModel, deserializeModel, ModelDownload, SavedModelList } from './persist';
export { LivePlot } from '../plots/live-plot';
export { Progress } from '../plots/progress';
export { TrainingProbes, probeGroups } from './probes';
export type { ProbeGroup } from './probes';
