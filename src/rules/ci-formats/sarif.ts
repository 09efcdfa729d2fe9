/**
 * SARIF 2.1.0 (OASIS), as GitHub code scanning and Azure DevOps read it: one run of the kqlite driver, a
 * reportingDescriptor per code, a result per failure or diagnostic (passes and skips are not findings and are
 * left out), each at its file region. Relative paths stay relative (`uriBaseId` %SRCROOT%), so code scanning
 * places them in the repository. Checked against the published schema by test/rules/ci-formats.test.ts.
 */
import { levelOf, type CiReport, type CiResult } from './report.js';

const INFORMATION_URI = 'https://github.com/kqlite/kqlite';

/** A file path as a URI reference: '/'-separated, each segment percent-encoded; absolute paths as file:// URIs. */
export function pathUri(path: string): { uri: string; uriBaseId?: string } {
  const slashed = path.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.test(slashed);
  const encoded = slashed.split('/').map((seg, i) => (drive && i === 0 ? seg : encodeURIComponent(seg))).join('/');
  if (slashed.startsWith('/')) return { uri: `file://${encoded}` };
  if (drive) return { uri: `file:///${encoded}` };
  return { uri: encoded.replace(/^(\.\/)+/, ''), uriBaseId: '%SRCROOT%' };
}

const defaultCode = (report: CiReport) => `kqlite-${report.command}`;

function region(r: CiResult) {
  const l = r.location;
  if (!l || l.line === undefined) return undefined;
  return {
    startLine: l.line,
    ...(l.column !== undefined ? { startColumn: l.column } : {}),
    ...(l.endLine !== undefined && l.endLine >= l.line ? { endLine: l.endLine } : {}),
    ...(l.endColumn !== undefined && l.endLine !== undefined && (l.endLine > l.line || l.endColumn > (l.column ?? 1)) ? { endColumn: l.endColumn } : {}),
  };
}

export function sarifLog(report: CiReport): object {
  const findings = report.results.filter((r) => r.status === 'failed' || r.status === 'error');
  const described = new Map((report.codes ?? []).map((c) => [c.id, c]));
  const ids: string[] = [];
  for (const c of report.codes ?? []) ids.push(c.id);
  for (const r of findings) {
    const id = r.code ?? defaultCode(report);
    if (!ids.includes(id)) ids.push(id);
  }
  const rules = ids.map((id) => {
    const c = described.get(id);
    return {
      id,
      shortDescription: { text: c?.description ?? (id === defaultCode(report) ? `kqlite ${report.command}` : id) },
      ...(c?.helpUri ? { helpUri: c.helpUri } : {}),
    };
  });
  const results = findings.map((r) => {
    const id = r.code ?? defaultCode(report);
    const level = levelOf(r);
    const reg = region(r);
    return {
      ruleId: id,
      ruleIndex: ids.indexOf(id),
      level: level === 'none' ? 'error' : level,
      message: { text: r.details ? `${r.message}\n${r.details}` : r.message },
      ...(r.location
        ? { locations: [{ physicalLocation: { artifactLocation: pathUri(r.location.file), ...(reg ? { region: reg } : {}) } }] }
        : {}),
      properties: { group: r.group, name: r.name, status: r.status },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'kqlite', semanticVersion: report.toolVersion, version: report.toolVersion, informationUri: INFORMATION_URI, rules } },
      automationDetails: { id: `kqlite/${report.command}/` },
      results,
    }],
  };
}

export const sarifJson = (report: CiReport): string => JSON.stringify(sarifLog(report), null, 2) + '\n';
