/**
 * Whatever ends a query becomes a diagnostic, never an exception out of runQuery: its own limits and
 * runtime errors (QueryError), a damaged or unreadable workspace file, stack exhaustion, an allocation V8
 * refused, and (a bug) anything else, named as such so nobody mistakes it for a problem of the query.
 */
import { WorkspaceFileError } from '../common/damaged.js';
import { diag, type Diagnostic } from '../common/diagnostics.js';
import { EXECUTION } from './codes.js';
import { mib } from './memory.js';
import { QueryError } from './values/value.js';

/** `e`, which ended a query inside `operator` (whose memory budget was `budget` bytes), as a diagnostic. */
export function failureDiagnostic(e: unknown, operator: string, budget?: number): Diagnostic {
  const [code, message] = failure(e, operator, budget);
  return diag(code, 'error', message, { start: 0, end: 0 });
}

function failure(e: unknown, op: string, budget: number | undefined): [string, string] {
  if (e instanceof QueryError) return [e.code, e.message];
  if (e instanceof WorkspaceFileError) return [EXECUTION.data, e.message];
  const io = e as NodeJS.ErrnoException;
  if (typeof io.code === 'string' && typeof io.path === 'string') return [EXECUTION.data, `cannot read ${io.path} (${io.code}): ${io.message}`];
  // KQLITE_DEBUG=1: the stack behind an unexpected failure, for whoever fixes it (never shown otherwise)
  if (process.env['KQLITE_DEBUG']) process.stderr.write(`kqlite debug: ${e instanceof Error ? e.stack : String(e)}\n`);
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError) {
    if (/call stack/i.test(message)) return [EXECUTION.tooDeep, `'${op}' nests deeper than the engine can evaluate (a very deeply nested value or expression): simplify it`];
    if (/allocation failed|invalid (typed )?array length|invalid string length|array buffer/i.test(message)) {
      return [EXECUTION.memory, `'${op}' needed more memory than this process could allocate (${message})${budget ? `; the query's budget is ${mib(budget)}` : ''}: narrow the query`];
    }
    return [EXECUTION.runtime, `'${op}': ${message}`];
  }
  return [EXECUTION.internal, `internal error in '${op}': ${message} (a bug in kqlite; the query ended, nothing else is affected)`];
}
