// Errors that running the cell again may cure (the network was down, a server answered 404): their error box offers
// Retry. Named by ename, as the kernel reports them; tests/data/fashion-mnist.test.ts keeps the names in step with
// the errors src/data throws (the page does not import the data library, which would bring tfjs in).
export const RETRYABLE_ERRORS: ReadonlySet<string> = new Set(['DatasetUnavailableError']);
