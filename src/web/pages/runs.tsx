/**
 * Hunt runs: the list (/runs) and one run (/runs/<id>, the address the rule page's "Run hunt" result and the
 * CLI's `kqlite runs show <id>` correspond to): when it ran, at which now(), by whom, what each rule did,
 * and the findings it touched as they are now.
 */
import type { HuntResponse, HuntRunInfo } from '../../server/api.js';
import { api } from '../api-client.js';
import { Link } from '../router.js';
import { useTitle } from '../title.js';
import { useApi } from '../use-api.js';
import { FindingsTable } from '../components/findings-table.js';
import { useCellLabels } from '../components/stack-table.js';
import { ErrorBox, Loading } from '../components/ui.js';
import { formatCount, formatDuration, formatTime, plural } from '../format.js';

export function RunsPage() {
  useTitle('Hunt runs');
  const runs = useApi(() => api.runs(), []);
  const ref = useCellLabels<HTMLTableElement>();
  return (
    <div class="page runs-page">
      <div class="page-head"><h1>Hunt runs</h1></div>
      {runs.error && <ErrorBox error={runs.error} retry={runs.reload} />}
      {!runs.data && runs.loading && <Loading what="runs" />}
      {runs.data && (runs.data.runs.length === 0 ? <p class="muted" data-testid="runs-empty">No hunt has run yet: run one from a rule page, or <code>kqlite hunt</code>.</p> : (
        <div class="table-wrap">
          <table class="grid stack" data-testid="runs-table" ref={ref}>
            <caption class="visually-hidden">Hunt runs, newest first</caption>
            <thead>
              <tr><th scope="col">Run</th><th scope="col">Started</th><th scope="col">now() (as of)</th><th scope="col">By</th><th scope="col" class="num">Rules run</th><th scope="col" class="num">Skipped</th><th scope="col" class="num">Failed</th><th scope="col" class="num">New</th><th scope="col" class="num">Updated</th><th scope="col" class="num">Allowed</th></tr>
            </thead>
            <tbody>
              {runs.data.runs.map((r) => (
                <tr key={r.id} data-testid="run-row" data-run-id={r.id}>
                  <td><Link href={`/runs/${r.id}`} data-testid="run-link">#{r.id}</Link>{r.finishedAt ? '' : <span class="badge badge-neutral">running</span>}</td>
                  <td class="nowrap">{formatTime(r.startedAt)}</td>
                  <td class="nowrap">{formatTime(r.asOf)}</td>
                  <td>{r.by}</td>
                  <td class="num">{formatCount(r.rulesRun)}</td>
                  <td class="num">{formatCount(r.rulesSkipped)}</td>
                  <td class="num">{formatCount(r.rulesFailed)}</td>
                  <td class="num">{formatCount(r.findingsNew)}</td>
                  <td class="num">{formatCount(r.findingsUpdated)}</td>
                  <td class="num">{formatCount(r.findingsSuppressed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

export function RunPage({ id }: { id: number }) {
  useTitle(`Hunt run #${id}`);
  const run = useApi(() => api.run(id), [id]);
  return (
    <div class="page run-page" data-testid="run-page" data-run-id={id}>
      <nav class="crumbs" aria-label="Run navigation"><Link href="/runs" data-testid="back-to-runs">← All runs</Link></nav>
      <h1>Hunt run #{id}</h1>
      {run.error && <ErrorBox error={run.error} retry={run.reload} />}
      {!run.data && run.loading && <Loading what="run" />}
      {run.data && <RunView r={run.data} />}
    </div>
  );
}

/** What a run did, in a line: also the Run hunt result on the rule page. */
export function RunSummary({ run, r }: { run: HuntRunInfo; r: Pick<HuntResponse, 'asOfSource' | 'rowsScanned' | 'durationMs'> }) {
  return (
    <p class="run-summary" data-testid="run-summary">
      <Link href={`/runs/${run.id}`} data-testid="run-link">Run #{run.id}</Link> by {run.by}, {formatTime(run.startedAt)} · now() = {formatTime(run.asOf)} ({r.asOfSource})
      {' · '}{plural(run.rulesRun, 'rule')} run{run.rulesSkipped ? `, ${formatCount(run.rulesSkipped)} skipped` : ''}{run.rulesFailed ? `, ${formatCount(run.rulesFailed)} failed` : ''}
      {' · '}{run.findingsNew} new, {run.findingsUpdated} updated, {run.findingsUnchanged ?? 0} unchanged{run.findingsSuppressed ? `, ${run.findingsSuppressed} allowed` : ''}
      {' · '}scanned {plural(r.rowsScanned, 'row')} in {formatDuration(r.durationMs)}
    </p>
  );
}

function RunView({ r }: { r: HuntResponse }) {
  const ref = useCellLabels<HTMLTableElement>();
  // rules that found something, were skipped or failed; the quiet ones are counted, not listed
  const notable = r.rules.filter((o) => o.outcome !== 'ok' || o.rows > 0);
  return (
    <>
      <RunSummary run={r.run} r={r} />
      <h2 class="section-title">Rules ({formatCount(notable.length)} of {formatCount(r.rules.length)} with results, skipped or failed)</h2>
      {notable.length > 0 && (
        <div class="table-wrap">
          <table class="grid stack" data-testid="run-rules" ref={ref}>
            <thead><tr><th scope="col">Rule</th><th scope="col">Outcome</th><th scope="col" class="num">Rows</th><th scope="col" class="num">New</th><th scope="col" class="num">Updated</th><th scope="col" class="num">Time</th></tr></thead>
            <tbody>
              {notable.map((o) => (
                <tr key={o.ruleId} data-testid="run-rule">
                  <td class="wrap"><Link href={`/rules/${encodeURIComponent(o.ruleId)}`}>{o.ruleName}</Link></td>
                  <td>{o.outcome}{o.reason ? <span class="muted"> ({o.reason})</span> : null}</td>
                  <td class="num">{formatCount(o.rows)}</td>
                  <td class="num">{formatCount(o.findingsNew)}</td>
                  <td class="num">{formatCount(o.findingsUpdated)}</td>
                  <td class="num">{formatDuration(o.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 class="section-title">Findings ({formatCount(r.findings.length)})</h2>
      <FindingsTable findings={r.findings} testid="run-findings" caption={`Findings of hunt run ${r.run.id}`} />
    </>
  );
}
