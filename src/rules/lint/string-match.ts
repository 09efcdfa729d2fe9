/**
 * LINT010 and LINT011: string comparisons that cost speed or miss rows.
 *
 * LINT010: Kusto indexes the terms of string columns (maximal runs of letters and digits, three or more
 * long) and `has` looks its needle up there, while `contains` scans every value. When the needle starts and
 * ends with a character that is not a letter or digit (`contains @"\AppData\"`, `contains " -enc "`) the
 * needle sits on term boundaries wherever it occurs, so `has` matches exactly the rows `contains` does.
 * Needles that start or end inside a term are left alone: there the two differ (`contains "anydesk"`
 * matches `myanydesk.exe`, `has` does not) and only the author knows which was meant.
 *
 * LINT011: Windows compares file names, paths, command lines, account names, registry keys and URLs without
 * regard to case, and Defender records them as the program or user wrote them (`PowerShell.exe`,
 * `powershell.EXE`); `==` and `in` compare case-sensitively and miss the other spellings.
 */
import { isTermChar } from '../../engine/values/terms.js';
import { DEFENDER_TABLES } from '../../kql/semantics/index.js';
import { unparen, walk, type Expr, type NameRef } from '../../kql/syntax/index.js';
import { LINT } from './codes.js';
import type { LintContext } from './context.js';

const CONTAINS_TO_HAS: Record<string, string> = { contains: 'has', '!contains': '!has', contains_cs: 'has_cs', '!contains_cs': '!has_cs' };

/** Whether `has` gives the same rows as `contains` for this needle (and can use the term index). */
export function hasMatchesLikeContains(needle: string): boolean {
  if (needle.length < 2 || isTermChar(needle.charCodeAt(0)) || isTermChar(needle.charCodeAt(needle.length - 1))) return false;
  // the term index holds terms of 3+ characters: a needle without one gains nothing
  return /[\p{L}\p{N}]{3,}/u.test(needle);
}

const CASE_VARYING = /(FileName|FolderPath|CommandLine|AccountName|AccountDomain|RegistryKey|RegistryValueName|RemoteUrl|FileOriginUrl|FileOriginReferrerUrl)$/;
const DEFENDER_COLUMNS = new Set(DEFENDER_TABLES.flatMap((t) => t.columns.map((c) => c.name)));

/** Columns of Defender's tables holding Windows names, paths, command lines, accounts, registry keys or URLs. */
export function isCaseVaryingColumn(name: string): boolean {
  return CASE_VARYING.test(name) && DEFENDER_COLUMNS.has(name);
}

const CASE_INSENSITIVE: Record<string, string> = { '==': '=~', '!=': '!~', in: 'in~', '!in': '!in~' };

const stringLiteral = (e: Expr): string | undefined => {
  const x = unparen(e);
  return x.kind === 'Literal' && x.type === 'string' && typeof x.value === 'string' ? x.value : undefined;
};

export function checkStringMatches(ctx: LintContext): void {
  walk(ctx.script, (n) => {
    const e = n as Expr;
    if (e.kind === 'BinaryExpr' && CONTAINS_TO_HAS[e.op]) {
      const needle = stringLiteral(e.right);
      if (needle !== undefined && hasMatchesLikeContains(needle)) {
        const has = CONTAINS_TO_HAS[e.op]!;
        ctx.query(LINT.containsWhereHasWouldDo, `'${e.op} ${JSON.stringify(needle)}': the needle starts and ends outside a term, so '${has}' matches the same rows and can use the term index instead of scanning every value; write '${has}'`, e.opSpan, has);
      }
    }
    const op = e.kind === 'BinaryExpr' || e.kind === 'InExpr' ? e.op : undefined;
    if (op && CASE_INSENSITIVE[op] && (e.kind === 'BinaryExpr' || e.kind === 'InExpr')) {
      const col = unparen(e.left);
      if (col.kind !== 'NameRef' || ctx.bound.refOf(col as NameRef)?.kind !== 'column' || !isCaseVaryingColumn(col.name)) return;
      const values = (e.kind === 'BinaryExpr' ? [e.right] : e.right).map(stringLiteral);
      const lettered = values.filter((v): v is string => v !== undefined && /\p{L}/u.test(v));
      if (!lettered.length) return;
      const fix = CASE_INSENSITIVE[op]!;
      const shown = e.kind === 'BinaryExpr' ? JSON.stringify(lettered[0]) : `(${JSON.stringify(lettered[0])}${e.right.length > 1 ? ', ...' : ''})`;
      ctx.query(LINT.caseSensitiveEquality, `'${col.name} ${op} ${shown}' compares case-sensitively, but Defender records ${col.name} as each program or user spelled it (e.g. ${JSON.stringify(flipCase(lettered[0]!))} is missed); write '${fix}'`, e.opSpan, fix);
    }
  });
}

/** The same text with its first letter's case flipped: a spelling `==` would miss. */
function flipCase(s: string): string {
  const i = s.search(/\p{L}/u);
  const c = s[i]!;
  const f = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  return s.slice(0, i) + f + s.slice(i + 1);
}
