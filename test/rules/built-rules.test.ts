// The built-in rules as `npm run build` writes them (dist/rules/data/, read by every command of the built CLI)
// are the rules the generator makes: field for field, key order and YAML text included.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BUILT_RULES_FILE, BUILT_TEXTS_FILE, BUILT_YAML_FILE, builtRulesText, parseBuiltRules } from '../../src/rules/built-rules.js';
import { readExampleRules } from '../../src/rules/example-rules.js';
import { generateBuiltinRules } from '../../src/rules/generate.js';
import type { Rule } from '../../src/rules/rule.js';

const generated = { pack: generateBuiltinRules(), examples: readExampleRules() };
const text = builtRulesText(generated);

test('the built rules read back equal to the generated ones (pack and examples)', () => {
  let yamlReads = 0;
  let textReads = 0;
  const read = parseBuiltRules(text.rules, {
    yaml: () => {
      yamlReads++;
      return text.yaml;
    },
    texts: () => {
      textReads++;
      return text.texts;
    },
  });
  assert.equal(read.pack.length, 508);
  assert.equal(read.examples.length, 3);
  // nothing reads the YAML text until a rule's yaml is asked for, nor the queries and descriptions theirs
  assert.deepEqual(read.pack.map((r) => [r.id, r.name, r.status, r.tables]), generated.pack.map((r) => [r.id, r.name, r.status, r.tables]));
  assert.equal(yamlReads, 0);
  assert.equal(textReads, 0);
  assert.equal(read.examples[1]!.query, generated.examples[1]!.query);
  assert.equal(textReads, 1);
  assert.equal(yamlReads, 0);
  assert.deepEqual(read, generated);
  // serialised the same way too: `yaml` keeps its place among the keys
  const stringify = (rs: Rule[]) => JSON.stringify(rs);
  assert.equal(stringify(read.pack), stringify(generated.pack));
  assert.equal(stringify(read.examples), stringify(generated.examples));
  assert.equal(yamlReads, 1, 'the YAML file is read once, on first use');
  assert.equal(textReads, 1, 'the queries and descriptions are read once, on first use');
});

test('a built rule\'s yaml and query can be set like any other field', () => {
  const read = parseBuiltRules(text.rules, { yaml: () => text.yaml, texts: () => text.texts });
  const r = read.pack[0]!;
  r.yaml = 'id: changed\n';
  r.query = 'DeviceInfo | take 1';
  assert.equal(r.yaml, 'id: changed\n');
  assert.equal(r.query, 'DeviceInfo | take 1');
  assert.equal(read.pack[1]!.yaml, generated.pack[1]!.yaml);
  assert.equal(read.pack[1]!.query, generated.pack[1]!.query);
  assert.deepEqual({ ...read.examples[0]! }, { ...generated.examples[0]! });
});

// dist/ is built by `npm ci` (prepare) in CI; a checkout that has not built it has nothing to compare
const builtFile = `dist/rules/data/${BUILT_RULES_FILE}`;
test('dist/rules/data holds exactly the generated rules (rebuild with npm run build when this fails)', { skip: !existsSync(builtFile) && 'dist/ is not built' }, () => {
  assert.equal(readFileSync(builtFile, 'utf8'), text.rules);
  assert.equal(readFileSync(`dist/rules/data/${BUILT_YAML_FILE}`, 'utf8'), text.yaml);
  assert.equal(readFileSync(`dist/rules/data/${BUILT_TEXTS_FILE}`, 'utf8'), text.texts);
});
