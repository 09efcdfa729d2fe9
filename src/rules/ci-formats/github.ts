/**
 * GitHub Actions workflow commands: `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=T::message`
 * (warning and notice alike), which GitHub shows as annotations on the file's line in the pull request.
 * Escaping as the runner reads it: in the message %, CR and LF; in property values also ':' and ','.
 * Passes and skips write nothing; a summary line closes the output.
 */
import { levelOf, tally, type CiReport, type CiResult } from './report.js';

export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

export function githubAnnotation(r: CiResult): string {
  const level = levelOf(r);
  const props: string[] = [];
  const l = r.location;
  if (l) {
    props.push(`file=${escapeProperty(l.file.replace(/\\/g, '/'))}`);
    if (l.line !== undefined) props.push(`line=${l.line}`);
    if (l.column !== undefined) props.push(`col=${l.column}`);
    if (l.endLine !== undefined) props.push(`endLine=${l.endLine}`);
    if (l.endColumn !== undefined && l.endLine === l.line) props.push(`endColumn=${l.endColumn}`);
  }
  props.push(`title=${escapeProperty(r.code ? `${r.code} ${r.name}` : r.name)}`);
  const text = r.details ? `${r.message}\n${r.details}` : r.message;
  return `::${COMMAND[level === 'none' ? 'error' : level]} ${props.join(',')}::${escapeData(text)}`;
}

export function githubAnnotations(report: CiReport): string {
  const lines = report.results.filter((r) => r.status === 'failed' || r.status === 'error').map(githubAnnotation);
  const t = tally(report.results);
  lines.push(`kqlite ${report.command}: ${report.summary ?? `${t.passed} passed, ${t.failed + t.error} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`}`);
  return lines.join('\n') + '\n';
}
