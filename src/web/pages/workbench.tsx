/**
 * The KQL workbench (/workbench): monaco editor with the workspace schema, Run (Ctrl+Enter: the selection, or
 * the blank-line-separated query block at the cursor) against
 * POST /api/query with a `now()` control, Cancel, diagnostics as editor markers and as a list, results
 * with paging and a chart, and a query history kept in localStorage. `?q=` preloads a query; `?rule=<id>`
 * preloads that rule's query (what a rule page links when its query is too long for an address).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiDiagnostic, QueryResponse, RemotesResponse } from '../../server/api.js';
import { api, ApiRequestError } from '../api-client.js';
import { useLocation } from '../router.js';
import { useStatus } from '../status-context.js';
import { ErrorBox } from '../components/ui.js';
import { formatTime, parseUtcText, toUtcText } from '../format.js';
import { UtcTimeField } from '../components/utc-time-field.js';
import { loadStylesheet } from '../load-stylesheet.js';
import { addToHistory, loadHistory, saveHistory, type HistoryEntry } from '../workbench/history.js';
import { Results } from '../workbench/results.js';
import type { KqlEditor } from '../workbench/editor.js';
import { diagnosticsInEditor, queryToRun } from '../workbench/query-block.js';
import { diagnosticExcerpt } from '../workbench/diagnostic-excerpt.js';
import { useTitle } from '../title.js';

const DEFAULT_QUERY = `DeviceNetworkEvents
| where Timestamp > ago(1d)
| summarize Connections = count() by bin(Timestamp, 1h), InitiatingProcessFileName
| top 50 by Connections`;
const DRAFT_KEY = 'kqlite.workbench.draft';
/** Tab indents in the editor; how a keyboard user leaves it (monaco's tab-focus toggle), said aloud and on the page. */
const TAB_OUT = 'Tab indents; press Ctrl+M (Ctrl+Shift+M on a Mac), then Tab, to move focus out of the editor.';

type RunState = { kind: 'idle' } | { kind: 'running'; clientId: string; started: number } | { kind: 'done'; result: QueryResponse }
  | { kind: 'failed'; error: ApiRequestError | Error } | { kind: 'cancelled' };

function newClientId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `q-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function WorkbenchPage() {
  useTitle('KQL workbench');
  const { status } = useStatus();
  const { query } = useLocation();
  const ruleId = query.get('q') === null ? query.get('rule') : null;
  const initial = query.get('q') ?? (ruleId ? '' : sessionStorage.getItem(DRAFT_KEY) ?? DEFAULT_QUERY);
  const [ruleError, setRuleError] = useState<Error | undefined>(undefined);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<KqlEditor | undefined>(undefined);
  const textRef = useRef(initial);
  const [editorState, setEditorState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [asOfText, setAsOfText] = useState(() => query.get('asOf') ?? ''); // text as typed; `?asOf=` preloads it
  const [run, setRun] = useState<RunState>({ kind: 'idle' });
  // the diagnostics of the last run, placed in the editor text as it was then (`text`)
  const [diagnostics, setDiagnostics] = useState<{ text: string; list: ApiDiagnostic[] }>({ text: '', list: [] });
  const [history, setHistory] = useState<HistoryEntry[]>(loadHistory);
  const runRef = useRef<() => void>(() => {});
  // where the query runs: '' = this workspace, else a saved remote engine (kqlite remotes add)
  const [remotes, setRemotes] = useState<RemotesResponse['remotes']>([]);
  const [target, setTarget] = useState('');
  useEffect(() => {
    api.remotes().then((r) => setRemotes(r.remotes), () => setRemotes([]));
  }, []);

  useEffect(() => {
    if (!asOfText && status?.latestEvent) setAsOfText(toUtcText(status.latestEvent));
  }, [status?.latestEvent]);

  useEffect(() => {
    let disposed = false;
    // fetched while the editor chunk and its stylesheet download; without it completion still knows the language itself
    const schema = api.kustoDatabaseSchema().catch(() => undefined);
    // `?rule=`: the rule's query is the editor's first text (a rule that cannot be read leaves it empty, saying why)
    const ruleQuery = ruleId ? api.rule(ruleId).then((r) => r.query ?? '', (e: Error) => { setRuleError(e); return ''; }) : Promise.resolve(undefined);
    Promise.all([import('../workbench/editor.js'), loadStylesheet('/editor.css'), ruleQuery]).then(async ([m, , fromRule]) => {
      if (disposed || !host.current) return;
      if (fromRule !== undefined) textRef.current = fromRule;
      const ed = m.createKqlEditor(host.current, {
        value: textRef.current, label: `KQL query editor. Ctrl+Enter runs the query at the cursor (queries are separated by blank lines) or the selection. ${TAB_OUT}`,
        onRun: () => runRef.current(),
        onChange: (t) => { textRef.current = t; sessionStorage.setItem(DRAFT_KEY, t); },
      });
      editor.current = ed;
      setEditorState('ready');
      const s = await schema;
      // a failure here leaves completion without the tables; the query itself still runs on the server
      if (s && !disposed) await ed.setSchema(s).catch((e) => console.warn('the editor could not take the schema', e));
    }, () => setEditorState('failed'));
    return () => { disposed = true; editor.current?.dispose(); editor.current = undefined; };
  }, []);

  const execute = async () => {
    if (run.kind === 'running') return;
    const whole = editor.current?.getValue() ?? textRef.current;
    const part = editor.current ? queryToRun(whole, editor.current.getSelection()) : { text: whole, start: 0 };
    const text = part.text;
    if (!text.trim()) return;
    const show = (ds: readonly ApiDiagnostic[]) => {
      const inEditor = diagnosticsInEditor(whole, part, ds);
      setDiagnostics({ text: whole, list: inEditor });
      editor.current?.setDiagnostics(inEditor);
    };
    const asOfTime = parseUtcText(asOfText);
    if (!asOfTime.ok) {
      // the field already says what is wrong with it
      document.getElementById('as-of')?.focus();
      return;
    }
    const clientId = newClientId();
    setRun({ kind: 'running', clientId, started: Date.now() });
    setDiagnostics({ text: '', list: [] });
    editor.current?.setDiagnostics([]);
    try {
      const result = await api.query({ query: text, clientId, ...(asOfTime.iso ? { asOf: asOfTime.iso } : {}), ...(target ? { remote: target } : {}) });
      setRun({ kind: 'done', result });
      show(result.diagnostics);
      remember({ query: text, at: new Date().toISOString(), ok: true, rows: result.tables[0]?.totalRows ?? 0 });
    } catch (e) {
      const err = e as Error;
      if (err instanceof ApiRequestError && err.status === 409) setRun({ kind: 'cancelled' });
      else setRun({ kind: 'failed', error: err });
      if (err instanceof ApiRequestError && err.diagnostics.length) show(err.diagnostics);
      remember({ query: text, at: new Date().toISOString(), ok: false });
    }
  };
  runRef.current = execute;

  const cancel = async () => {
    if (run.kind !== 'running') return;
    try {
      await api.cancelQuery(run.clientId);
    } catch (e) {
      setRun({ kind: 'failed', error: e as Error });
    }
  };

  const remember = (entry: HistoryEntry) => {
    setHistory((h) => {
      const next = addToHistory(h, entry);
      saveHistory(next);
      return next;
    });
  };

  const load = (q: string) => {
    textRef.current = q;
    editor.current?.setValue(q);
    editor.current?.focus();
  };

  return (
    <div class="page workbench">
      <div class="page-head">
        <h1>Workbench</h1>
        <form class="wb-toolbar" onSubmit={(e) => { e.preventDefault(); execute(); }} aria-label="Run query">
          <UtcTimeField id="as-of" label="now() (UTC)" text={asOfText} onText={setAsOfText} testid="as-of">
            {status?.latestEvent && (
              <button type="button" class="btn btn-small" onClick={() => setAsOfText(toUtcText(status.latestEvent))} disabled={asOfText === toUtcText(status.latestEvent)}
                title="Set now() to the latest event in the workspace" data-testid="as-of-latest">latest event</button>
            )}
          </UtcTimeField>
          {remotes.length > 0 && (
            <label class="wb-target">
              <span class="small muted">run on</span>{' '}
              <select value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)} data-testid="run-target">
                <option value="">this workspace</option>
                {remotes.map((r) => <option key={r.name} value={r.name}>{r.name} ({r.kind})</option>)}
              </select>
            </label>
          )}
          <button type="submit" class="btn btn-primary" disabled={run.kind === 'running' || editorState === 'loading'} data-testid="run-query" aria-keyshortcuts="Control+Enter">
            {run.kind === 'running' ? 'Running…' : 'Run'} <kbd>Ctrl+Enter</kbd>
          </button>
          <button type="button" class="btn" disabled={run.kind !== 'running'} onClick={cancel} data-testid="cancel-query">Cancel</button>
        </form>
      </div>
      <div class="wb-layout">
        <div class="wb-main">
          <div class="editor-host" ref={host} data-testid="query-editor" data-state={editorState}>
            {editorState === 'loading' && <p class="muted editor-loading">Loading editor…</p>}
          </div>
          <p class="muted small editor-hint" data-testid="editor-hint">{TAB_OUT}</p>
          {ruleError && <ErrorBox error={new Error(`The query of rule ${ruleId} could not be loaded: ${ruleError.message}`)} />}
          {editorState === 'failed' && <ErrorBox error={new Error('The editor could not be loaded; reload the page.')} />}
          <DiagnosticsList text={diagnostics.text} diagnostics={diagnostics.list} onPick={(d) => editor.current?.revealOffset(d.start)} />
          <div aria-live="polite">
            {run.kind === 'running' && <p class="muted" data-testid="query-running">Running…</p>}
            {run.kind === 'cancelled' && <p class="note" data-testid="query-cancelled">Query cancelled.</p>}
            {run.kind === 'failed' && !(run.error instanceof ApiRequestError && run.error.diagnostics.length) && <ErrorBox error={run.error} />}
            {run.kind === 'failed' && run.error instanceof ApiRequestError && run.error.diagnostics.length > 0 && (
              <p class="muted small" data-testid="query-failed">The query did not run: fix the {run.error.diagnostics.length === 1 ? 'error' : 'errors'} above.</p>
            )}
          </div>
          {run.kind === 'done' && <Results result={run.result} />}
        </div>
        <aside class="wb-history" aria-labelledby="history-title">
          <div class="facet-head">
            <h2 id="history-title">History</h2>
            {history.length > 0 && <button type="button" class="link-btn small" onClick={() => { setHistory([]); saveHistory([]); }}>clear</button>}
          </div>
          {history.length === 0 && <p class="muted small">Queries you run appear here.</p>}
          <ul data-testid="query-history">
            {history.map((h, i) => (
              <li key={i}>
                <button type="button" class="history-item" onClick={() => load(h.query)} title={h.query} data-testid="history-item">
                  <code>{h.query.length > 160 ? `${h.query.slice(0, 160)}…` : h.query}</code>
                  <span class="muted small">{formatTime(h.at)} · {h.ok ? `${h.rows ?? 0} rows` : 'failed'}</span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </div>
  );
}

function DiagnosticsList({ text, diagnostics, onPick }: { text: string; diagnostics: ApiDiagnostic[]; onPick: (d: ApiDiagnostic) => void }) {
  if (diagnostics.length === 0) return null;
  return (
    <ul class="diagnostics wb-diagnostics" data-testid="diagnostics-list" aria-label="Query diagnostics">
      {diagnostics.map((d, i) => (
        <li key={i} class={`diag diag-${d.severity}`} data-testid="diagnostic" data-code={d.code}>
          <button type="button" class="link-btn" onClick={() => onPick(d)} aria-label={`Go to line ${d.line}, column ${d.column}`}>
            <span class="diag-sev">{d.severity}</span> <span class="mono">{d.code}</span> {d.line}:{d.column}
          </button>{' '}
          {d.message}{d.suggestion && !d.message.includes(d.suggestion) && <span class="muted"> (did you mean <code>{d.suggestion}</code>?)</span>}
          <DiagnosticLine text={text} d={d} />
        </li>
      ))}
    </ul>
  );
}

/** The diagnostic's line with the span marked and a caret line under it (the editor's squiggle, in the list). */
function DiagnosticLine({ text, d }: { text: string; d: ApiDiagnostic }) {
  const x = diagnosticExcerpt(text, d.start, d.end);
  const gutter = `${x.line} | `;
  const lead = gutter.length + (x.cutBefore ? 1 : 0) + x.before.length;
  return (
    <pre class={`code small-code diag-excerpt diag-excerpt-${d.severity}`} data-testid="diagnostic-excerpt" tabIndex={0}
      aria-label={`line ${x.line}, column ${d.column}: the marked text is what ${d.code} is about`}>
      <span class="muted" aria-hidden="true">{gutter}</span>{x.cutBefore && '…'}{x.before}<mark data-testid="diagnostic-span">{x.marked}</mark>{x.after}{x.cutAfter && '…'}{'\n'}
      <span class="diag-caret" aria-hidden="true" data-testid="diagnostic-caret">{' '.repeat(lead)}{'^'.repeat(Math.max(1, x.marked.length))}</span>
    </pre>
  );
}
