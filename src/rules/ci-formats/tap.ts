/**
 * TAP version 14 (testanything.org): the plan, then `ok N - name` / `not ok N - name`, a failure's message
 * and details as the YAML diagnostic block TAP 14 defines (indented two spaces between `---` and `...`), a
 * skip as `# SKIP reason`. prove, tap-parser and node:test's TAP reader take it.
 */
import { tally, type CiReport, type CiResult } from './report.js';

/** A TAP description cannot hold '#' unescaped (it starts a directive) or a line break. */
const description = (s: string) => s.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\r\n?|\n/g, ' ');

/** A YAML block scalar, so any text (colons, quotes, diffs) stays literal. */
function block(key: string, text: string, indent: string): string {
  return `${indent}${key}: |-\n${text.split(/\r\n?|\n/).map((l) => `${indent}  ${l}`).join('\n')}`;
}

function entry(r: CiResult, n: number): string {
  const name = description(`${r.group} > ${r.name}`);
  if (r.status === 'passed') return `ok ${n} - ${name}`;
  if (r.status === 'skipped') return `ok ${n} - ${name} # SKIP ${description(r.message)}`;
  const yaml = ['  ---', block('message', r.message, '  '), `  severity: ${r.status === 'error' ? 'error' : 'fail'}`];
  if (r.code) yaml.push(`  code: ${JSON.stringify(r.code)}`);
  if (r.location) {
    yaml.push('  at:', `    file: ${JSON.stringify(r.location.file)}`);
    if (r.location.line !== undefined) yaml.push(`    line: ${r.location.line}`);
    if (r.location.column !== undefined) yaml.push(`    column: ${r.location.column}`);
  }
  if (r.details) yaml.push(block('details', r.details, '  '));
  yaml.push('  ...');
  return `not ok ${n} - ${name}\n${yaml.join('\n')}`;
}

export function tapText(report: CiReport): string {
  const lines = ['TAP version 14', `1..${report.results.length}`];
  report.results.forEach((r, i) => lines.push(entry(r, i + 1)));
  const t = tally(report.results);
  lines.push(`# ${report.summary ?? `${t.passed} passed, ${t.failed + t.error} failed, ${t.skipped} skipped`}`);
  return lines.join('\n') + '\n';
}
