// GET /api/rules/:id's `lint`: kqlite check's lint findings for the rule, placed where `kqlite check` places them
// (Sentinel rule files, Sigma rules and bare .kql queries alike), with the codes turned off by the rule's own
// `kqlite-disable:` comments and by the workspace's config.json (`lint.disable`; unknown codes and unreadable
// files reported, the rest still applied); computed once per rule version.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { checkText } from '../../src/cli/check-files.js';
import { mainQuietly } from '../helpers/quiet-main.js';
import { defaultCatalog } from '../../src/kql/semantics/index.js';
import { importRules } from '../../src/rules/index.js';
import { lintStoredRule } from '../../src/rules/lint/index.js';
import { ruleFromQuery } from '../../src/rules/readers/from-query.js';
import { buildServer } from '../../src/server/app.js';
import type { RuleDetail } from '../../src/server/api.js';
import { ServerContext } from '../../src/server/context.js';
import { LINT_RULES, lintRuleFiles, writeLintConfig, writeLintRules } from '../helpers/lint-rules.js';

const LINT_DATA = 'test/rules/data/lint';
const SIGMA = { id: '0c1e3b6a-4b4b-4d59-9d0b-5f0e3a1b2c3d', file: 'sigma-retired-tag.yml' };
let root: string;
let ws: string;
let rules: string;
let app: FastifyInstance;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-rule-lint-'));
  ws = join(root, 'ws');
  rules = join(root, 'rules');
  writeLintRules(rules);
  copyFileSync(join(LINT_DATA, SIGMA.file), join(rules, SIGMA.file));
  assert.equal(await mainQuietly(['rules', 'import', rules, '--workspace', ws]), 0);
  app = await buildServer({ workspaceDir: ws, webRoot: join(root, 'no-web') });
});
after(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

async function rule(id: string): Promise<RuleDetail> {
  const r = await app.inject({ method: 'GET', url: `/api/rules/${encodeURIComponent(id)}` });
  assert.equal(r.statusCode, 200, r.body);
  return r.json() as RuleDetail;
}

const shape = (d: { code: string; line: number; column: number; severity: string }) => `${d.code}@${d.line}:${d.column} ${d.severity}`;

test('the rule page has the findings kqlite check reports for the same file, at the same lines and columns', async () => {
  writeLintConfig(ws, []);
  const files = { ...lintRuleFiles(), [SIGMA.file]: readFileSync(join(LINT_DATA, SIGMA.file), 'utf8') };
  const ids: Record<string, string> = { 'dirty.yaml': LINT_RULES.dirty.id, 'clean.yaml': LINT_RULES.clean.id, 'comment-off.yaml': LINT_RULES.commentOff.id, 'config-off.yaml': LINT_RULES.configOff.id, [SIGMA.file]: SIGMA.id };
  const seen: Record<string, string[]> = {};
  for (const [file, text] of Object.entries(files)) {
    const cli = checkText(file, text, defaultCatalog()).filter((d) => d.code.startsWith('LINT'));
    const page = (await rule(ids[file]!)).lint;
    assert.deepEqual(page.findings.map(shape), cli.map(shape), file);
    assert.deepEqual(page.findings.map((f) => f.message), cli.map((d) => d.message), file);
    seen[file] = page.findings.map((f) => f.code);
  }
  // the fixtures are what they say they are (so the comparison above compared something)
  assert.deepEqual(seen, { 'dirty.yaml': ['LINT010', 'LINT011'], 'clean.yaml': [], 'comment-off.yaml': ['LINT010'], 'config-off.yaml': ['LINT040'], [SIGMA.file]: ['LINT021', 'LINT022'] });
});

test('a finding carries its code name, meaning, docs link and its line with the span marked', async () => {
  writeLintConfig(ws, []);
  const lint = (await rule(LINT_RULES.dirty.id)).lint;
  assert.equal(lint.version, 1);
  const [contains, equals] = lint.findings;
  assert.equal(contains!.name, 'contains-where-has-would-do');
  assert.match(contains!.summary, /`has` give the same rows/);
  assert.equal(contains!.docsUrl, 'https://github.com/kqlite/kqlite/blob/main/docs/LINT.md#lint010');
  assert.equal(contains!.suggestion, 'has');
  assert.deepEqual(contains!.excerpt, { in: 'file', line: 16, text: '  | where FolderPath contains @"\\AppData\\"', start: 21, end: 29 });
  assert.equal(contains!.excerpt.text.slice(contains!.excerpt.start, contains!.excerpt.end), 'contains');
  assert.equal(equals!.excerpt.text.slice(equals!.excerpt.start, equals!.excerpt.end), '==');
  assert.match(contains!.rendered, /dirty\.yaml:16:22: warning LINT010/);
  // a Sigma finding about a tag is at the tag's line in the Sigma file
  const sigma = (await rule(SIGMA.id)).lint.findings.find((f) => f.code === 'LINT021')!;
  assert.equal(sigma.field, 'tags');
  assert.equal(sigma.excerpt.text.slice(sigma.excerpt.start, sigma.excerpt.end), 'attack.t1086');
  // a rule read from a bare .kql query is linted as a bare query: its query-level findings only
  // (such rules come from git sources: `kqlite sources`; built here as the source reader builds them)
  const query = readFileSync(join(LINT_DATA, 'query-contains.kql'), 'utf8');
  const kql = ruleFromQuery({ source: { kind: 'git', name: 'queries' }, path: 'query-contains.kql', anchor: '', name: 'query-contains', description: '', query, context: '', definition: query });
  assert.deepEqual(lintStoredRule(kql).findings.map((f) => f.code), ['LINT010']);
});

test("codes off: by the rule's comment, by config.json (read on each request), unknown codes and unreadable files reported", async () => {
  writeLintConfig(ws, []);
  const comment = (await rule(LINT_RULES.commentOff.id)).lint;
  assert.deepEqual(comment.disabled, { config: [], rule: ['LINT011'] });
  assert.deepEqual((await rule(LINT_RULES.configOff.id)).lint.findings.map((f) => f.code), ['LINT040']);

  writeLintConfig(ws, ['lint040']);
  let off = (await rule(LINT_RULES.configOff.id)).lint;
  assert.deepEqual(off.findings, []);
  assert.deepEqual(off.disabled.config, ['LINT040']);
  assert.deepEqual(off.configProblems, []);

  // a typo turns nothing off silently: it is reported, and the good codes beside it still count
  writeLintConfig(ws, ['LINT011', 'LINT04O', 7]);
  off = (await rule(LINT_RULES.dirty.id)).lint;
  assert.deepEqual(off.findings.map((f) => f.code), ['LINT010']);
  assert.equal(off.configProblems.length, 2);
  assert.match(off.configProblems.join('\n'), /lint\.disable\[2\] must be a string/);
  assert.match(off.configProblems.join('\n'), /config\.json: lint\.disable: 'LINT04O' is not a lint code \(LINT001, .*, or all\)/);

  writeLintConfig(ws, ['all']);
  assert.deepEqual((await rule(LINT_RULES.dirty.id)).lint.findings, []);

  writeFileSync(join(ws, 'config.json'), '{"lint": {"disable": ["LINT010"]');
  off = (await rule(LINT_RULES.dirty.id)).lint;
  assert.deepEqual(off.findings.map((f) => f.code), ['LINT010', 'LINT011']);
  assert.match(off.configProblems[0]!, /config\.json is not JSON/);
  writeLintConfig(ws, []);
});

test('lint is computed once per rule version: the same answer object until the rule changes', async () => {
  writeLintConfig(ws, []);
  const ctx = new ServerContext(ws);
  try {
    const r = ctx.rule(LINT_RULES.dirty.id)!;
    const first = ctx.lint(r);
    assert.equal(ctx.lint(r), first, 'kept, not recomputed');
    assert.equal(ctx.lint(ctx.rule(LINT_RULES.dirty.id)!), first, 'kept across reloads of the rule list while the version is the same');
    writeLintConfig(ws, ['LINT011']);
    const changedSettings = ctx.lint(r);
    assert.notEqual(changedSettings, first);
    assert.deepEqual(changedSettings.findings.map((f) => f.code), ['LINT010']);
    writeLintConfig(ws, []);
    // the rule fixed and imported again: version 2, and its lint is the fixed rule's
    writeFileSync(join(rules, 'dirty.yaml'), lintRuleFiles()['dirty.yaml']!.replace('contains', 'has'));
    assert.equal(importRules(rules, { workspaceDir: ws }).updated, 1);
    const fixed = ctx.rule(LINT_RULES.dirty.id)!;
    assert.equal(fixed.version, 2);
    const lint = ctx.lint(fixed);
    assert.equal(lint.version, 2);
    assert.deepEqual(lint.findings.map((f) => f.code), ['LINT011']);
    assert.deepEqual((await rule(LINT_RULES.dirty.id)).lint.findings.map((f) => f.code), ['LINT011']);
  } finally {
    ctx.close();
  }
});

test("over Microsoft's Defender hunting queries the rule page lists exactly what kqlite check lists, file by file, in the same order", async () => {
  const corpus = '../shared/corpus/sentinel-hunting';
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-rule-lint-corpus-'));
  try {
    importRules(corpus, { workspaceDir: dir });
    const ctx = new ServerContext(dir);
    try {
      const imported = ctx.rules().filter((r) => r.source.kind === 'import');
      assert.ok(imported.length >= 60, `${imported.length} rules imported`);
      let total = 0;
      for (const r of imported) {
        const file = join(r.source.folder!, r.source.path!);
        const cli = checkText(file, readFileSync(file, 'utf8'), defaultCatalog()).filter((d) => d.code.startsWith('LINT')).map(shape);
        const page = ctx.lint(r).findings.map(shape);
        assert.deepEqual(page, cli, r.source.path);
        total += page.length;
      }
      assert.ok(total > 50, `${total} findings compared`); // docs/LINT.md's table: 43 LINT001, 31 LINT023, ...
    } finally {
      ctx.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
