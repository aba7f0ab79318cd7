// Shared helpers for the notebook tests: the e2e fixtures double as unit-test inputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';

export const fixturesDir = join(__dirname, '..', '..', 'e2e', 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(join(fixturesDir, name), 'utf8');
}

/** The official nbformat 4.5 schema. It declares draft-04; its keywords mean the same under ajv's draft-07. */
export function nbformatValidator() {
  const { $schema: _draft04, ...schema } = JSON.parse(fixtureText('nbformat.v4.schema.json'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(schema);
}
