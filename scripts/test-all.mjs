// The README's test command: the type check and the linter, unit tests (vitest, CPU), then browser tests
// (Playwright, real WebGPU), ending with one line `N passed, N failed, N skipped` that CI reads.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

mkdirSync('test-results', { recursive: true });
for (const f of ['test-results/unit.json', 'test-results/e2e.json']) rmSync(f, { force: true });

run('node', ['scripts/link-data.mjs']);
const only = process.argv[2]; // 'unit' | 'e2e' | undefined
// The browser tests' production build runs while the type check, the linter and the unit tests do: on CI's two
// cores it then costs a fraction of its time alone. Its output is held back and shown only if it fails.
const BUILD_LOG = 'test-results/build.log';
const appBuild = only === 'unit' ? Promise.resolve(0) : new Promise((resolve) => {
  // Output to a file, not a pipe: the unit tests below block this process, and a full pipe would stall the build.
  const log = openSync(BUILD_LOG, 'w');
  const child = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], { env: { ...process.env, CONVLAB_OUT_DIR: 'dist' }, stdio: ['ignore', log, log] });
  child.on('error', (err) => resolve(String(err)));
  child.on('close', (code) => resolve(code === 0 ? 0 : readFileSync(BUILD_LOG, 'utf8')));
});
// The compiler and the linter are checks like any test: each counts once in the closing line.
const checks = only === 'e2e' ? [] : [['typecheck (tsc --noEmit)', run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])], ['lint (oxlint)', run('npx', ['oxlint', '-c', '.oxlintrc.json', 'src', 'tests', 'e2e', 'scripts'])]];
for (const [name, status] of checks) console.log(`${status === 0 ? 'passed' : 'FAILED'}: ${name}`);
const unitStatus = only === 'e2e' ? 0 : run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']);
const buildFailure = await appBuild;
if (buildFailure) console.log(`FAILED: the production build for the browser tests:\n${buildFailure}`);
// The browser tests serve the build made above (playwright.config.ts builds only when CONVLAB_PREBUILT is unset).
const e2eStatus = only === 'unit' ? 0 : buildFailure ? 1 : run('npx', ['playwright', 'test'], { CONVLAB_PREBUILT: '1' });

let passed = checks.filter(([, s]) => s === 0).length, failed = checks.length - passed, skipped = 0;
if (existsSync('test-results/unit.json')) {
  const u = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
  passed += u.numPassedTests; failed += u.numFailedTests; skipped += u.numPendingTests + (u.numTodoTests ?? 0);
} else if (only !== 'e2e') failed += 1; // the unit runner itself broke
if (existsSync('test-results/e2e.json')) {
  const s = JSON.parse(readFileSync('test-results/e2e.json', 'utf8')).stats;
  passed += s.expected + s.flaky; failed += s.unexpected; skipped += s.skipped;
} else if (only !== 'unit') failed += 1; // the browser runner itself broke

const ok = unitStatus === 0 && e2eStatus === 0 && failed === 0;
if (!ok && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok ? 0 : 1);
