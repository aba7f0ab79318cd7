// Vite plugin: a lesson file's metadata.convlab alone, read at build time. src/lessons/index.ts imports every
// lesson as `./name.ipynb?lesson-metadata` (import.meta.glob, eager) and gets a module of a few hundred bytes, so
// the index page lists the lessons from their own files without the lessons themselves entering its chunk.
// vite.config.ts and vitest.config.ts both use it: the unit tests read the same index the app does.
import { readFile } from 'node:fs/promises';

/** `file.ipynb?lesson-metadata`, alone or among other query parameters. */
const ID = /\.ipynb\?(?:.*&)?lesson-metadata(?:[&=]|$)/;

/** @returns {import('vite').Plugin} */
export function lessonMetadata() {
  return {
    name: 'convlab-lesson-metadata',
    // Before Vite's own loaders, which would try to serve the .ipynb file as an asset.
    enforce: 'pre',
    load: {
      // The bundler tests the filter itself, so the other few thousand modules never call into JavaScript here.
      filter: { id: ID },
      async handler(id) {
        const file = id.slice(0, id.indexOf('?'));
        const text = await readFile(file, 'utf8');
        let notebook;
        try {
          notebook = JSON.parse(text);
        } catch (err) {
          this.error(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
        // null for a file without ConvLab metadata: the index still lists it, titled from its file name.
        return `export default ${JSON.stringify(notebook?.metadata?.convlab ?? null)};\n`;
      },
    },
  };
}
