// jasmine-core ships no types, and @tensorflow/tfjs-core's jasmine_util loads this same file with require().
// Only what src/harness/core-ops uses is declared (@types/jasmine would put describe/it/expect into every
// file's globals, next to vitest's and Playwright's).
declare module 'jasmine-core/lib/jasmine-core/jasmine.js' {
  export interface SuiteMeta { id: string; description: string; children: SuiteMeta[] }
  export interface Expectation { message: string; stack?: string }
  export interface SpecResult {
    id: string;
    description: string;
    fullName: string;
    status: 'passed' | 'failed' | 'pending' | 'excluded' | string;
    failedExpectations: Expectation[];
    duration?: number | null;
  }
  export interface SuiteResult { id: string; description: string; fullName: string; failedExpectations: Expectation[] }
  export interface JasmineDone { overallStatus: string; failedExpectations: Expectation[] }
  export interface Reporter {
    suiteStarted?(r: SuiteResult): void;
    suiteDone?(r: SuiteResult): void;
    specStarted?(r: SpecResult): void;
    specDone?(r: SpecResult): void;
    jasmineDone?(r: JasmineDone): void;
  }
  export interface Env {
    configure(c: { random?: boolean; forbidDuplicateNames?: boolean; specFilter?: (spec: { getFullName(): string }) => boolean }): void;
    addReporter(r: Reporter): void;
    execute(): Promise<JasmineDone>;
    topSuite(): SuiteMeta;
  }
  export interface Jasmine { DEFAULT_TIMEOUT_INTERVAL: number; getEnv(): Env }
  export interface JasmineRequire {
    core(req: JasmineRequire): Jasmine;
    interface(j: Jasmine, env: Env): Record<string, unknown>;
  }
  const jasmineRequire: JasmineRequire;
  export default jasmineRequire;
}
