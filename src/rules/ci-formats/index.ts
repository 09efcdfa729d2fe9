/**
 * CI output formats shared by `kqlite test` and `kqlite check`: build a CiReport, then write it with
 * `writeCiReport(report, format)`. The API is kept stable: add fields, never change their meaning.
 */
import { githubAnnotations } from './github.js';
import { junitXml } from './junit.js';
import type { CiReport } from './report.js';
import { sarifJson } from './sarif.js';
import { tapText } from './tap.js';

export * from './report.js';
export { junitXml, xmlText, xmlAttr } from './junit.js';
export { sarifLog, sarifJson, pathUri } from './sarif.js';
export { tapText } from './tap.js';
export { githubAnnotations, githubAnnotation, escapeData, escapeProperty } from './github.js';

/** The formats every CI-facing command takes with `--format` (besides its own text and json). */
export const CI_FORMATS = ['junit', 'sarif', 'tap', 'github'] as const;
export type CiFormat = (typeof CI_FORMATS)[number];

export const isCiFormat = (f: string): f is CiFormat => (CI_FORMATS as readonly string[]).includes(f);

export function writeCiReport(report: CiReport, format: CiFormat): string {
  switch (format) {
    case 'junit':
      return junitXml(report);
    case 'sarif':
      return sarifJson(report);
    case 'tap':
      return tapText(report);
    case 'github':
      return githubAnnotations(report);
  }
}
