/**
 * Finding rule tests and the rules they test. A suite is one file of tests: a rule file (Sentinel, Defender or
 * Sigma YAML) with its own `tests:` list, or a sibling `<rule>.tests.yaml`, whose rule is the file beside it
 * with the same name (`<rule>.yaml`, `.yml`, `.kql`, `.md`), or what its `rule:` names: a file beside it or a
 * rule id of the built-in content. Rules are read by the one per-file reader (`readRuleFile`) `rules import`
 * uses, so a test runs the rule exactly as an import would load it. Nothing in these files is executed.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { builtinRules, exampleRules, readRuleFile, RULE_TESTS_FILE, type Rule } from '../../rules/index.js';
import { parseYamlFile, readTestsDocument, type Pos, type RuleTest, type TestProblem } from './test-file.js';

export interface TestSuite {
  /** The file holding the tests, as the user named it (relative paths stay relative). */
  testFile: string;
  /** The rule's file, when the rule is one (built-in rules have none). */
  ruleFile?: string;
  rule?: Rule;
  /** Where failures are reported in the rule file: the line of its query (or Sigma detection). */
  ruleLine?: Pos;
  tests: RuleTest[];
  /** Problems of the suite as a whole: the tests file or the rule cannot be read or found. */
  problems: TestProblem[];
}

export const TESTS_FILE = RULE_TESTS_FILE;
const RULE_YAML = /\.ya?ml$/i;
const SIBLING_EXTENSIONS = ['.yaml', '.yml', '.kql', '.csl', '.md'];
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** A rule YAML carries tests when it has a top-level `tests:` key. */
const hasInlineTests = (text: string) => /^tests\s*:/m.test(text);

/** The files under `paths` that hold tests (tests files, and rule YAML with `tests:`), each once, in order. */
export function testFilesIn(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    const key = resolve(f);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(f);
    }
  };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const f = join(dir, name);
      // links inside a folder are not followed (a repository's link to / or to a secret would be walked
      // or read); a path named on the command line is
      const st = lstatSync(f);
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(name)) walk(f);
      } else if (TESTS_FILE.test(name)) add(f);
      else if (RULE_YAML.test(name) && hasInlineTests(readFileSync(f, 'utf8'))) add(f);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) {
      missing.push(p);
      continue;
    }
    if (statSync(p).isDirectory()) walk(p);
    else if (TESTS_FILE.test(p) || hasInlineTests(readFileSync(p, 'utf8'))) add(p);
    else {
      // a rule file named on its own brings its sibling tests
      const sibling = siblingTests(p);
      if (sibling) add(sibling);
      else missing.push(`${p} (no tests in it and no ${basename(p).replace(/\.[^.]+$/, '')}.tests.yaml beside it)`);
    }
  }
  return { files, missing };
}

export function siblingTests(ruleFile: string): string | undefined {
  const stem = ruleFile.replace(/\.[^./\\]+$/, '');
  return ['.tests.yaml', '.tests.yml'].map((e) => stem + e).find((f) => existsSync(f));
}

function siblingRule(testsFile: string): string | undefined {
  const stem = testsFile.replace(TESTS_FILE, '');
  return SIBLING_EXTENSIONS.map((e) => stem + e).find((f) => existsSync(f));
}

/** The line where the rule's logic is written, for annotations on the rule file. */
function ruleLine(file: string, rule: Rule, text: string): Pos {
  if (rule.queryPosition) return { file, line: Math.max(1, rule.queryPosition.line - 1), column: 1 };
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^(query|detection)\s*:/.test(l));
  return { file, line: i >= 0 ? i + 1 : 1, column: 1 };
}

function readRule(file: string, id: string | undefined, at: Pos): { rule?: Rule; line?: Pos; problem?: TestProblem } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { problem: { ...at, message: `cannot read the rule file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
  }
  const read = readRuleFile(text, { path: basename(file), source: { kind: 'import', name: 'kqlite test', path: file.split('\\').join('/'), folder: resolve(dirname(file)) } });
  if (read.kind === 'failed') return { problem: { file, line: read.problem.line, column: read.problem.column, message: `cannot read the rule: ${read.problem.reason}` } };
  if (read.kind !== 'rules' || !read.rules.length) return { problem: { ...at, message: `${file} is not a rule file kqlite reads (${read.kind === 'skipped' ? read.reason : 'it holds parser functions'})` } };
  const rules = id ? read.rules.filter((r) => r.id === id) : read.rules;
  if (rules.length !== 1) {
    return { problem: { ...at, message: id ? `${file} holds no rule with id ${id}` : `${file} holds ${read.rules.length} rules; name the one tested with rule: <id>` } };
  }
  return { rule: rules[0]!, line: ruleLine(file, rules[0]!, text) };
}

let builtins: Map<string, Rule> | undefined;
function builtinRule(id: string): Rule | undefined {
  builtins ??= new Map([...exampleRules(), ...builtinRules()].map((r) => [r.id, r]));
  return builtins.get(id);
}

/** Reads one file of tests and finds its rule. */
export function loadSuite(testFile: string): TestSuite {
  const suite: TestSuite = { testFile, tests: [], problems: [] };
  const text = readFileSync(testFile, 'utf8');
  const sibling = TESTS_FILE.test(testFile);
  const { docs, where, problems } = parseYamlFile(testFile, text);
  suite.problems.push(...problems);
  if (problems.length || !docs.length) {
    if (!docs.length) suite.problems.push({ file: testFile, line: 1, column: 1, message: 'the file is empty' });
    return suite;
  }
  // a Sigma file may hold several documents: its tests are in the first
  const read = readTestsDocument(docs[0]!, where, sibling);
  suite.tests = read.tests;
  suite.problems.push(...read.problems);
  const top: Pos = { file: testFile, line: 1, column: 1 };
  if (!sibling) {
    const r = readRule(testFile, undefined, top);
    return finish(suite, testFile, r);
  }
  if (read.rule) {
    const named = resolve(dirname(testFile), read.rule.value);
    if (existsSync(named) && statSync(named).isFile()) return finish(suite, join(dirname(testFile), read.rule.value), readRule(named, undefined, read.rule.pos));
    const beside = siblingRule(testFile);
    if (beside) return finish(suite, beside, readRule(beside, read.rule.value, read.rule.pos));
    const rule = builtinRule(read.rule.value);
    if (rule) {
      suite.rule = rule;
      return suite;
    }
    suite.problems.push({ ...read.rule.pos, message: `rule: ${read.rule.value} is neither a file beside ${basename(testFile)} nor a built-in rule id (see kqlite rules list)` });
    return suite;
  }
  const beside = siblingRule(testFile);
  if (!beside) {
    suite.problems.push({ ...top, message: `no rule file beside ${basename(testFile)} (looked for ${SIBLING_EXTENSIONS.map((e) => basename(testFile).replace(TESTS_FILE, '') + e).join(', ')}); name it with rule:` });
    return suite;
  }
  return finish(suite, beside, readRule(beside, undefined, top));
}

function finish(suite: TestSuite, ruleFile: string, r: ReturnType<typeof readRule>): TestSuite {
  suite.ruleFile = ruleFile;
  if (r.problem) suite.problems.push(r.problem);
  if (r.rule) suite.rule = r.rule;
  if (r.line) suite.ruleLine = r.line;
  return suite;
}
