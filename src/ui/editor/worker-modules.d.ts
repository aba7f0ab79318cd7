// Monaco's worker entry points, imported through Vite's ?worker suffix; the package's export map
// ("./*" → esm/vs/*) has no type entries for them.
declare module 'monaco-editor/editor/editor.worker?worker' {
  const WorkerConstructor: { new (options?: { name?: string }): Worker };
  export default WorkerConstructor;
}
declare module 'monaco-editor/languages/features/typescript/ts.worker?worker' {
  const WorkerConstructor: { new (options?: { name?: string }): Worker };
  export default WorkerConstructor;
}
// The cell globals' declarations, generated at build time by scripts/vite-cell-types.mjs: path → .d.ts text.
declare module 'virtual:cell-types' {
  const files: Record<string, string>;
  export default files;
}
