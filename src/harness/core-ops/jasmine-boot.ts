// Jasmine in the page, bundled (no CDN): what jasmine-core's boot0.js does, without its HTML reporter.
// tfjs-core's spec files call the globals describe/it/expect/beforeAll and jasmine.getEnv() (jasmine_util's
// describeWithFlags, setupTestFilters), so they must be on globalThis before any spec module is evaluated:
// this module is imported first by the entry, and the spec modules are imported dynamically after it ran.
//
// jasmine-core is pinned to 6.x: tfjs-core 4.22's jasmine_util does require('jasmine-core/lib/jasmine-core/
// jasmine.js').core(...), which 7.x no longer exports (its jasmine.js returns a booted instance instead).
import jasmineRequire, { type Env, type Jasmine } from 'jasmine-core/lib/jasmine-core/jasmine.js';

export const jasmine: Jasmine = jasmineRequire.core(jasmineRequire);
export const env: Env = jasmine.getEnv();

Object.assign(globalThis, jasmineRequire.interface(jasmine, env), { jasmine });

/** tfjs-core's describe-level beforeEach/afterEach, as a typed handle for the entry's global hooks. */
export const beforeEachGlobal = (globalThis as unknown as { beforeEach(fn: () => void | Promise<void>): void }).beforeEach;
