/**
 * The lint codes a workspace turns off for good: config.json's `"lint": {"disable": [...]}` (read by
 * src/ingest's readLintConfig), checked as `--disable` is: an unknown code is a problem naming the file and
 * the code (a typo must not silently disable nothing), and the known ones still count.
 */
import { readLintConfig } from '../../ingest/index.js';
import { LINT_CODES } from './codes.js';
import { parseDisableOption } from './disable.js';

export interface WorkspaceLintSettings {
  /** Upper-cased codes (`ALL` for every lint code). */
  disable: Set<string>;
  problems: string[];
}

export function workspaceLintSettings(dir: string): WorkspaceLintSettings {
  const read = readLintConfig(dir);
  const { codes, unknown } = parseDisableOption(read.disable);
  const problems = [...read.problems];
  if (unknown.length) {
    problems.push(`config.json: lint.disable: ${unknown.map((c) => `'${c}'`).join(', ')} ${unknown.length === 1 ? 'is not a lint code' : 'are not lint codes'} (${LINT_CODES.map((c) => c.code).join(', ')}, or all)`);
  }
  return { disable: codes, problems };
}
