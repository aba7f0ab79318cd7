import { defineConfig } from '@playwright/test';
import { findChromium, WEBGPU_ARGS } from './e2e/chromium';

const PORT = Number(process.env.CONVLAB_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // SwiftShader emulates the GPU on the CPU: two browsers at once on two cores only slow both down.
  workers: Number(process.env.PW_WORKERS ?? 1),
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  retries: 0,
  // Runs on other ports (helpers, benchmarks) keep their artefacts apart from the main run's.
  outputDir: PORT === 4173 ? 'test-results/e2e' : `.build/${PORT}-results`,
  reporter: [['list'], ['json', { outputFile: PORT === 4173 ? 'test-results/e2e.json' : `.build/${PORT}-results.json` }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    headless: true,
    launchOptions: { executablePath: findChromium(), args: WEBGPU_ARGS },
    trace: 'retain-on-failure',
  },
  webServer: {
    // npm test builds while the unit tests run and sets CONVLAB_PREBUILT; a direct `playwright test` builds here.
    command: `${process.env.CONVLAB_PREBUILT ? '' : 'npx vite build --logLevel warn && '}npx vite preview --host localhost --port ${PORT} --strictPort`,
    env: { CONVLAB_OUT_DIR: PORT === 4173 ? "dist" : `.build/${PORT}` },
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
  },
});
