// The module boundaries ConvLab promises (README, "How it is built"), checked by tests/architecture/boundaries.test.ts.
// Imports flow one way: page (ui) → protocol ← runtime → libraries (nn, data, train, plots, gpu) → cell context.
/** Library code: usable without the notebook runtime or the page. */
const LIBRARIES = '^src/(nn|data|train|gpu|util|cell)/|^src/plots/(?!views/)|^src/protocol\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'library-imports-runtime-or-ui',
      comment: 'Model blocks, data, training, plots and the GPU layer never import the notebook runtime, the page or the documents.',
      severity: 'error',
      from: { path: LIBRARIES },
      to: { path: '^src/(runtime|ui|notebook|lessons|harness)/|^src/main\\.tsx$|^src/plots/views/' },
    },
    {
      name: 'page-imports-tfjs',
      comment: 'TensorFlow.js lives in the kernel worker: the page (views, page logic, documents) never pulls it into the main thread.',
      severity: 'error',
      from: { path: '^src/(ui|notebook)/|^src/plots/views/|^src/main\\.tsx$' },
      to: { path: '@tensorflow/|^src/(nn|data|train|gpu|runtime)/|^src/plots/(?!views/)' },
    },
    {
      name: 'runtime-imports-page',
      comment: 'The worker never imports the page.',
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: '^src/(ui|notebook|lessons)/|^src/plots/views/' },
    },
    {
      name: 'nn-imports-gpu',
      comment: 'nn reaches the GPU layer only through the hooks in nn/ops that the GPU layer sets, so nn runs on any backend.',
      severity: 'error',
      from: { path: '^src/nn/' },
      to: { path: '^src/gpu/|@tensorflow/tfjs-backend-webgpu' },
    },
    {
      name: 'gpu-imports-nn-internals',
      comment: 'The GPU layer imports from nn only its hook modules (nn/ops).',
      severity: 'error',
      from: { path: '^src/gpu/' },
      to: { path: '^src/nn/(?!ops/)' },
    },
    {
      name: 'documents-import-react',
      comment: 'The document model (ipynb, validation, autosave) is plain TypeScript.',
      severity: 'error',
      from: { path: '^src/notebook/' },
      to: { path: '^src/ui/|node_modules/react' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
