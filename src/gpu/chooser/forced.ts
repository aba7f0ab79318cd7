// While a timing pass runs one candidate, the auto-mode kernelFuncs must run that candidate and count nothing.
// Kernel calls are synchronous, so a module-level flag set around one call is exact.
import type { Candidate } from './pick';

let forced: Candidate | null = null;

export function forcedCandidate(): Candidate | null { return forced; }

export function withCandidate<T>(candidate: Candidate, fn: () => T): T {
  const before = forced;
  forced = candidate;
  try {
    return fn();
  } finally {
    forced = before;
  }
}
