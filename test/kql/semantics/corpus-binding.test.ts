// Binding gives zero false diagnostics on the conformance cases and the hunting corpus; where a corpus
// query really is wrong, the exact diagnostic is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { checkQuery } from '../../../src/kql/semantics/index.js';
import { conformanceCases, corpusQueries } from '../../helpers/corpus.js';

const semanticErrors = (text: string, tables?: string[]) =>
  checkQuery(text, tables ? { tables } : {}).diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('KQL2'));

/** Conformance cases whose documented query is itself wrong (kqlite reports what Kusto would). */
const CONFORMANCE_DOC_ERRORS: Record<string, string> = {
  // the documented query uses `x`, which it never defines
  'trim-end-function#2': "unknown column or variable 'x'",
};

test('no false semantic errors on the 796 conformance cases', () => {
  const found: string[] = [];
  for (const c of conformanceCases()) {
    for (const d of semanticErrors(c.query)) if (CONFORMANCE_DOC_ERRORS[c.id] !== d.message) found.push(`${c.id}: ${d.message}`);
  }
  assert.deepEqual(found, []);
});

/**
 * Hunting-corpus queries that really are wrong against the shipped Defender schemas (the 10 device tables and
 * the documented advanced-hunting tables: alerts, cloud apps, email, Teams, identities, sign-ins, TVM), with
 * why. Sentinel tables (ASIM's ASimNetworkSessionLogs too) are in the default catalog.
 */
const EXPECTED: Record<string, string[]> = {
  // a real defect: the query reads DeviceNetworkEvents, which has no RegistryValueData column
  'Command and Control__Detects URLs in regkey RegistryValueData.yaml': Array(4).fill("unknown column or variable 'RegistryValueData'"),
  // a real defect: the join key SignerNameLower does not exist on the left side (it is SignerLower there)
  'Credential Access__HighVolumeLsassMemoryRead.yaml': ["unknown column or variable 'SignerNameLower'; did you mean 'SignerLower'?"],
  // the documented AADSignInEventsBeta has RiskLevelAggregated, not RiskLevelDuringSignIn
  'Impact__unusual-volume-of-file-deletion.yaml': Array(2).fill("unknown column or variable 'RiskLevelDuringSignIn'"),
  // (Persistence__LocalAdminGroupChanges reads AccountSID/AccountCloudSID/AccountUPN, which Sentinel's IdentityInfo has)
};

test('hunting corpus: only the real defects are reported', () => {
  for (const q of corpusQueries('sentinel-hunting')) {
    const got = semanticErrors(q.query).map((d) => d.message);
    const want = EXPECTED[basename(q.file)] ?? [];
    assert.deepEqual(got, want, q.file);
  }
});

test('every network-connection rule of the RMM corpus gets the AccountUpn diagnostic with its suggestion', () => {
  const net = corpusQueries('rmm-tools').filter((q) => /_netconn\.yaml$/.test(q.file));
  assert.equal(net.length, 60);
  for (const q of net) {
    const d = semanticErrors(q.query, ['DeviceNetworkEvents']).filter((x) => x.code === 'KQL2001');
    assert.equal(d.length, 1, q.file);
    assert.equal(d[0]!.message, "unknown column or variable 'AccountUpn'; did you mean 'InitiatingProcessAccountUpn'?");
    assert.equal(d[0]!.suggestion, 'InitiatingProcessAccountUpn');
  }
});

test('process and signature rules of the RMM corpus bind clean against their tables (known upstream defects listed)', () => {
  const broken: Record<string, string> = {
    // reads DeviceFileCertificateInfo though the rule declares only DeviceProcessEvents
    'rmm_DWService_createproc.yaml': "unknown table 'DeviceFileCertificateInfo'",
  };
  for (const q of corpusQueries('rmm-tools')) {
    const table = /_createproc\.yaml$/.test(q.file) ? 'DeviceProcessEvents' : /_filesig\.yaml$/.test(q.file) ? 'DeviceFileCertificateInfo' : undefined;
    if (!table) continue;
    const got = semanticErrors(q.query, [table]).map((d) => d.message);
    const want = broken[basename(q.file)];
    if (want) assert.ok(got.includes(want), `${q.file}: ${got.join('; ')}`);
    else assert.deepEqual(got, [], q.file);
  }
});
