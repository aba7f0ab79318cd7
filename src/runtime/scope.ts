// The notebook scope: one object that holds every top-level name the cells declared.
// It has no prototype, so `with (scope)` finds only what cells put there (a plain object would
// capture names like `constructor` or `toString` and hide the globals of the same name).

export type ScopeObject = Record<string, unknown>;

export class NotebookScope {
  readonly vars: ScopeObject = Object.create(null) as ScopeObject;

  /**
   * Creates the names a cell is about to declare, so that its assignments land here rather than
   * on the worker's global object. Existing values stay until the cell reassigns them.
   */
  declare(names: Iterable<string>): void {
    for (const name of names) if (!(name in this.vars)) this.vars[name] = undefined;
  }

  has(name: string): boolean {
    return name in this.vars;
  }

  get(name: string): unknown {
    return this.vars[name];
  }
}
