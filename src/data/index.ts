// What cells see as `data`.
export { fashionMnist, loadFashionMnistFiles, FASHION_MNIST_CLASSES, FASHION_MNIST_FILES, OFFICIAL_SOURCES, DatasetFileError, DatasetUnavailableError } from './fashion-mnist';
export type { FashionMnistOptions } from './fashion-mnist';
export { ImageDataset, fromArrays, permutation, seededRandom } from './dataset';
export type { Batch, BatchOptions, Split, SplitName } from './dataset';
export { parseIdxImages, parseIdxLabels, checkPair, encodeIdx, IdxError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx';
export { gunzip, GunzipError } from './gunzip';
export { browserCache, memoryCache } from './cache';
export type { ArrayCache } from './cache';
