/**
 * The KQL front end's first stage: text → syntax tree + diagnostics. `parse` never throws and always
 * returns a tree (ErrorExpr where a part could not be read).
 */
import type { Diagnostic } from '../../common/diagnostics.js';
import type { Script } from './ast.js';
import { parseScript } from './parse-statements.js';
import { Parser } from './parser.js';

export * from './ast.js';
export { children, conjuncts, unparen, walk } from './walk.js';
export { parseDatetimeText, parseTimespanText, parseGuidText, parseTimeOfDayText, startOfDayTicks } from './literals.js';
export { SYNTAX } from './syntax-codes.js';
export { normaliseTypeName } from './type-names.js';

export interface ParseResult {
  script: Script;
  diagnostics: Diagnostic[];
}

export function parse(text: string): ParseResult {
  const p = new Parser(text);
  const script = parseScript(p);
  return { script, diagnostics: p.diagnostics };
}
