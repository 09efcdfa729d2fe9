/**
 * Errors as the API answers them: `{"error": {"status", "message", "diagnostics"?}}`. Routes throw
 * `HttpError`; the app's error handler turns it (and Fastify's own validation errors) into that shape.
 */
import { realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineMap } from '../common/span.js';
import { renderDiagnostic, type Diagnostic } from '../common/diagnostics.js';
import { locateRuleDiagnostic, renderRuleDiagnostic, type Rule, type RuleDiagnostic } from '../rules/index.js';
import type { ApiDiagnostic, ApiError } from './api.js';

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly diagnostics?: ApiDiagnostic[]) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, `no ${what}`);
export const badRequest = (message: string, diagnostics?: ApiDiagnostic[]) => new HttpError(400, message, diagnostics);

export function errorBody(status: number, message: string, diagnostics?: ApiDiagnostic[]): ApiError {
  return { error: { status, message, ...(diagnostics ? { diagnostics } : {}) } };
}

/** This installation of kqlite (the folder holding src/ or dist/). */
const INSTALL_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

function spellings(dir: string): string[] {
  const out = new Set([resolve(dir)]);
  try {
    out.add(realpathSync(dir));
  } catch {
    // a folder that is gone has only the spelling given
  }
  return [...out].filter((d) => d.length > 1).sort((a, b) => b.length - a.length);
}

/**
 * An error message as a client may see it: the workspace folder, this installation, the temporary folder
 * and the home folder (which name the machine's user and layout) replaced by `<workspace>`, `<kqlite>`,
 * `<tmp>` and `~`, so a message still says which file is meant without telling a client where things live.
 */
export function redactPaths(text: string, workspaceDir: string): string {
  let out = text;
  for (const [dir, name] of [...spellings(workspaceDir).map((d) => [d, '<workspace>'] as const), ...spellings(INSTALL_ROOT).map((d) => [d, '<kqlite>'] as const), ...spellings(tmpdir()).map((d) => [d, '<tmp>'] as const), ...spellings(homedir()).map((d) => [d, '~'] as const)]) {
    // the folder itself or a path under it, not a longer name that starts the same way
    out = out.replace(new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + String.raw`(?=[\/\s'"):;,\]]|$)`, 'g'), name);
  }
  return out;
}

/** A rule's diagnostics at their place in its file (query or field), rendered as the CLI renders them. */
export function ruleApiDiagnostics(rule: Rule): ApiDiagnostic[] {
  return rule.diagnostics.map((d) => ruleApiDiagnostic(rule, d));
}

export function ruleApiDiagnostic(rule: Rule, d: RuleDiagnostic, file = rule.source.path ?? `${rule.id}.yaml`): ApiDiagnostic {
  const at = locateRuleDiagnostic(rule, d, file);
  const out: ApiDiagnostic = {
    code: d.code, severity: d.severity, message: d.message, start: d.span.start, end: d.span.end,
    line: at.line, column: at.column, rendered: renderRuleDiagnostic(rule, d, file),
  };
  if (d.field !== undefined) out.field = d.field;
  if (d.suggestion !== undefined) out.suggestion = d.suggestion;
  return out;
}

/** Diagnostics of `text` with line/column and the CLI's caret rendering. */
export function apiDiagnostics(text: string, diags: readonly Diagnostic[], file = '<query>'): ApiDiagnostic[] {
  const map = new LineMap(text);
  return diags.map((d) => {
    const at = map.lineCol(d.span.start);
    const out: ApiDiagnostic = {
      code: d.code, severity: d.severity, message: d.message, start: d.span.start, end: d.span.end,
      line: at.line, column: at.column, rendered: renderDiagnostic(file, text, d, map),
    };
    if (d.suggestion !== undefined) out.suggestion = d.suggestion;
    return out;
  });
}
