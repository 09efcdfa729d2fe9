/**
 * LINT040: the summarize whose groups become findings (the query's last one, as hunts group by its `by`
 * columns) grouping by a column that is different for every event: the event's own id (ReportId,
 * EventRecordId, ...) or its exact time (a datetime column not put into bins). Each event is then a finding
 * of its own, so one incident on one device is hundreds of findings to triage.
 */
import { unparen, walk, type NameRef, type SummarizeOp } from '../../kql/syntax/index.js';
import { LINT } from './codes.js';
import type { LintContext } from './context.js';

/** Columns that identify one event in Defender and Sentinel tables. */
const EVENT_ID_COLUMNS = new Set(['ReportId', 'EventRecordId', 'SourceRecordId', '_ItemId', 'RecordId', 'EventId_']);

export function checkGroupPerEvent(ctx: LintContext): void {
  const queries = ctx.script.statements.filter((s) => s.kind === 'QueryStatement');
  const main = queries[queries.length - 1];
  if (!main) return;
  let last: SummarizeOp | undefined;
  walk(main, (n) => {
    if (n.kind === 'SummarizeOp' && (!last || n.span.start > last.span.start)) last = n as SummarizeOp;
  });
  if (!last) return;
  for (const a of last.by) {
    const e = unparen(a.expr);
    if (e.kind !== 'NameRef') continue;
    const ref = ctx.bound.refOf(e as NameRef);
    if (ref?.kind !== 'column') continue;
    if (EVENT_ID_COLUMNS.has(ref.name)) {
      ctx.query(LINT.groupPerEvent, `summarize groups by ${ref.name}, which is different for every event: each event becomes a finding of its own; collect it instead (Reports = make_set(${ref.name}, 100)) and group by what a finding is about (device, account, file)`, a.span);
    } else if (ref.type === 'datetime' && (ref.name === 'Timestamp' || ref.name === 'TimeGenerated') && !rebinned(ctx, last, ref.name)) {
      ctx.query(LINT.groupPerEvent, `summarize groups by the exact ${ref.name}: events a moment apart are separate findings; use bin(${ref.name}, 1h) or take FirstSeen = min(${ref.name}), LastSeen = max(${ref.name}) as aggregates`, a.span);
    }
  }
}

/** Whether an operator before the summarize assigned the column anew (extend Timestamp = bin(Timestamp, 1h)). */
function rebinned(ctx: LintContext, summarize: SummarizeOp, column: string): boolean {
  let found = false;
  walk(ctx.script, (n) => {
    if (found || n.span.start >= summarize.span.start) return;
    if ((n.kind === 'ExtendOp' || n.kind === 'ProjectOp') && (n as unknown as { columns: { names: { name: string }[] }[] }).columns.some((c) => c.names.some((x) => x.name === column))) found = true;
  });
  return found;
}
