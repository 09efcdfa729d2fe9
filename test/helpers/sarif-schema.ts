/** A validator for the OASIS SARIF 2.1.0 JSON schema shipped in test/rules/data/sarif (draft-04, so ajv-draft-04). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../rules/data/sarif/sarif-schema-2.1.0.json', import.meta.url)), 'utf8'));

export function sarifValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(SCHEMA);
}
