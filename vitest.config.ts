import { defineConfig } from 'vitest/config';
import { lessonMetadata } from './scripts/vite-lesson-metadata.mjs';

export default defineConfig({
  // The lesson index reads each lesson's metadata at build time, in the tests as in the app.
  plugins: [lessonMetadata()],
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files in one worker share their modules: TensorFlow.js is imported once per worker instead of once per
    // file, which was a third of the unit run's time. Each file still sets the backend it needs (tests/nn/setup.ts).
    isolate: false,
  },
});
