// The Azure-Sentinel sample synced as a git source (its real paths, the ASIM DNS parser included): every rule
// parses and binds with no diagnostic except those test/rules/sentinel-catalog.expected.json names with their
// real cause, and each of those is one precise diagnostic (no cascade). A missing table stops being expected
// as soon as the catalog has it: then the rule must bind cleanly.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultCatalog } from '../../src/kql/semantics/index.js';
import { sources, type Rule } from '../../src/rules/index.js';
import { commitFiles, initRepo } from '../helpers/git-repo.js';
import { SHARED } from '../helpers/corpus.js';

interface Expected { path: string; kind: 'missing-table' | 'missing-parser' | 'defect' | 'platform-columns'; name?: string; names?: string[]; because?: string }
const EXPECTED = (JSON.parse(readFileSync(new URL('./sentinel-catalog.expected.json', import.meta.url), 'utf8')) as { failures: Expected[] }).failures;

let root: string;
let rules: Rule[];
let report: sources.SyncReport;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-sentinel-catalog-'));
  const repo = join(root, 'Azure-Sentinel');
  cpSync('test/corpus/azure-sentinel', repo, { recursive: true });
  for (const line of readFileSync(join(SHARED, 'corpus/sentinel-hunting/_meta.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const m = JSON.parse(line) as { file: string; source: string };
    const path = m.source.slice(m.source.indexOf(':') + 1);
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    copyFileSync(join(SHARED, 'corpus/sentinel-hunting', m.file), join(repo, path));
  }
  initRepo(repo);
  commitFiles(repo, {}, 'sample');
  const ws = join(root, 'ws');
  sources.writeSources(ws, [{ name: 'Azure-Sentinel', url: repo, include: [], exclude: [], addedAt: new Date().toISOString() }]);
  report = sources.syncSource(ws, 'Azure-Sentinel');
  rules = Object.values(sources.readSourceRules(ws, 'Azure-Sentinel')).map((e) => e.current);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('the sample syncs: rules, the parser as a function, the two files upstream broke named with file:line', () => {
  assert.equal(report.functions, 1);
  assert.equal(report.failed, 2);
  assert.deepEqual(report.problems.map((p) => [p.file.split('/').pop(), p.line]), [['Emails containing links to IP addresses.yaml', 1], ['unusual-volume-of-file-deletion.yaml', 34]]);
  assert.ok(rules.length >= 68, String(rules.length));
});

test('every rule binds with zero false diagnostics; each failure is one precise diagnostic naming its real cause', () => {
  const catalog = defaultCatalog();
  const unexpected: string[] = [];
  let clean = 0;
  for (const r of rules) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    const x = EXPECTED.find((e) => e.path === r.source.path);
    if (!errors.length) { clean++; if (x && x.kind !== 'missing-table' && x.kind !== 'platform-columns') unexpected.push(`${r.source.path}: expected ${x.kind} but binds cleanly`); continue; }
    if (!x) { unexpected.push(`${r.source.path}: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`); continue; }
    const got = errors.map((d) => `${d.code} ${/'([^']+)'/.exec(d.message)?.[1]}`);
    switch (x.kind) {
      case 'missing-table':
        assert.ok(!catalog.tables.has(x.name!), `${x.name} is in the catalog now: ${r.source.path} must bind cleanly`);
        assert.deepEqual(got, [`KQL2002 ${x.name}`], r.source.path);
        break;
      case 'missing-parser':
        assert.deepEqual(got, [`KQL2003 ${x.name}`], r.source.path);
        break;
      default:
        assert.deepEqual(got, x.names!.map((n) => `KQL2001 ${n}`), r.source.path);
    }
  }
  assert.deepEqual(unexpected, []);
  const defects = EXPECTED.filter((e) => e.kind === 'defect').length;
  process.stdout.write(`# sentinel sample: ${clean}/${rules.length} bind cleanly; ${rules.length - clean - defects} wait on catalog or parsers; ${defects} are upstream defects\n`);
});

test('the ASIM rules resolve _Im_Dns and imDns through the synced parser (no unknown function)', () => {
  for (const path of ['Detections/ASimDNS/imDNS_TorProxies.yaml', 'Detections/ASimDNS/imDns_HighNXDomainCount_detection.yaml']) {
    const r = rules.find((x) => x.source.path === path)!;
    assert.deepEqual(r.diagnostics.filter((d) => d.code.startsWith('KQL')), [], path);
  }
});
