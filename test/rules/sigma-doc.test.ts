// docs/SIGMA.md is written from the conversion's own tables: it must say what the code does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sigmaMappingDoc } from '../../scripts/build-sigma-doc.js';

test('docs/SIGMA.md is the mapping the conversion uses (regenerate: node --import tsx scripts/build-sigma-doc.ts)', () => {
  assert.equal(readFileSync('docs/SIGMA.md', 'utf8'), sigmaMappingDoc());
});
