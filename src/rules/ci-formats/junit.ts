/**
 * JUnit XML as Jenkins, GitLab, Azure DevOps and the GitHub test-report actions read it: one <testsuites>,
 * a <testsuite> per group, a <testcase> per result with <failure>, <error> or <skipped>; file and line as
 * testcase attributes (GitLab and several actions show them). Times are seconds. Text that XML 1.0 cannot
 * hold (control characters) is dropped rather than making the document unreadable.
 */
import { groupsOf, tally, type CiReport, type CiResult } from './report.js';

// XML 1.0 allows tab, LF, CR and everything from U+0020 except the surrogates' halves and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

function testcase(r: CiResult): string {
  const attrs = [`name="${xmlAttr(r.name)}"`, `classname="${xmlAttr(r.group)}"`, `time="${seconds(r.durationMs)}"`];
  if (r.location) {
    attrs.push(`file="${xmlAttr(r.location.file)}"`);
    if (r.location.line !== undefined) attrs.push(`line="${r.location.line}"`);
  }
  const open = `    <testcase ${attrs.join(' ')}`;
  const body = r.details ? `${xmlText(r.details)}` : '';
  const type = r.code ? ` type="${xmlAttr(r.code)}"` : '';
  switch (r.status) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped message="${xmlAttr(r.message)}"/>\n    </testcase>`;
    case 'failed':
      return `${open}>\n      <failure message="${xmlAttr(r.message)}"${type}>${body}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${xmlAttr(r.message)}"${type}>${body}</error>\n    </testcase>`;
  }
}

function counts(results: readonly CiResult[]): string {
  const t = tally(results);
  const time = results.reduce((s, r) => s + (r.durationMs ?? 0), 0);
  return `tests="${results.length}" failures="${t.failed}" errors="${t.error}" skipped="${t.skipped}" time="${seconds(time)}"`;
}

export function junitXml(report: CiReport): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kqlite ${xmlAttr(report.command)}" ${counts(report.results)}>`];
  for (const [group, results] of groupsOf(report.results)) {
    out.push(`  <testsuite name="${xmlAttr(group)}" ${counts(results)}>`);
    for (const r of results) out.push(testcase(r));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
