/**
 * The application shell: header with navigation and workspace status, the token gate, and the route table.
 * GET /api/status is loaded once here (and again after a token is entered or a hunt runs) and shared with
 * the pages through `StatusContext`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { StatusResponse } from '../server/api.js';
import { api, ApiRequestError, isUnreachable, onReachability, retryUnreachable } from './api-client.js';
import { Link, useLocation } from './router.js';
import { StatusContext } from './status-context.js';
import { onUnauthorized } from './token.js';
import { TokenForm } from './components/token-form.js';
import { ErrorBox } from './components/ui.js';
import { formatTime, formatCount, plural } from './format.js';
import { useTitle } from './title.js';
import { FeedPage } from './pages/feed.js';
import { RulePage } from './pages/rule.js';
import { CoveragePage } from './pages/coverage.js';
import { FindingsPage } from './pages/findings.js';
import { DataPage } from './pages/data.js';
import { InventoryPage } from './pages/inventory.js';
import { WorkbenchPage } from './pages/workbench.js';
import { RunPage, RunsPage } from './pages/runs.js';
import { WhatsNewPage } from './pages/whats-new.js';

const NAV = [
  { href: '/', label: 'Feed', match: (p: string) => p === '/' || p.startsWith('/rules/') },
  { href: '/whats-new', label: "What's new", match: (p: string) => p === '/whats-new' },
  { href: '/coverage', label: 'Coverage', match: (p: string) => p === '/coverage' },
  { href: '/findings', label: 'Findings', match: (p: string) => p === '/findings' || p.startsWith('/findings/') },
  { href: '/runs', label: 'Runs', match: (p: string) => p === '/runs' || p.startsWith('/runs/') },
  { href: '/inventory', label: 'Inventory', match: (p: string) => p === '/inventory' },
  { href: '/data', label: 'Data', match: (p: string) => p === '/data' },
  { href: '/workbench', label: 'Workbench', match: (p: string) => p === '/workbench' },
];

export function App() {
  const loc = useLocation();
  const [status, setStatus] = useState<StatusResponse | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [needToken, setNeedToken] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const [nonce, setNonce] = useState(0);
  const refresh = () => setNonce((n) => n + 1);

  useEffect(() => onUnauthorized(() => setNeedToken(true)), []);
  useEffect(() => onReachability((ok) => setUnreachable(!ok)), []);
  useEffect(() => {
    api.status().then(
      (s) => { setStatus(s); setError(undefined); setNeedToken(false); },
      (e: Error) => {
        if (e instanceof ApiRequestError && e.status === 401) setNeedToken(true);
        else setError(e);
      },
    );
  }, [nonce]);

  return (
    <StatusContext.Provider value={{ status, refresh }}>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <Link href="/" class="brand" aria-label="kqlite home">kqlite</Link>
        <nav aria-label="Main">
          <ul class="nav">
            {NAV.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={n.match(loc.path) ? 'page' : undefined} data-testid={`nav-${n.label.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{n.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        {status && (
          <div class="ws-status" data-testid="workspace-status" title={status.workspace}>
            <span>{formatCount(status.rules.total)} rules</span>
            <Link href="/findings" title={status.findings.suppressed ? `${plural(status.findings.suppressed, 'more finding')} allowed (suppressed), not counted` : 'Findings no suppression covers'}>
              {plural(status.findings.active, 'finding')}
            </Link>
            {status.latestEvent && <span title="Latest event in the workspace: the default now()">data to {formatTime(status.latestEvent)}</span>}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {needToken ? (
          <TokenForm onDone={() => { setNeedToken(false); refresh(); }} />
        ) : (
          <>
            {unreachable && (
              <div class="error-box" role="alert" data-testid="unreachable">
                <strong>The server did not answer.</strong> Is <code>kqlite serve</code> still running?
                <button type="button" class="btn btn-small" onClick={() => { refresh(); retryUnreachable(); }}>Retry</button>
              </div>
            )}
            {error && !isUnreachable(error) && <ErrorBox error={error} retry={refresh} />}
            <Route path={loc.path} />
          </>
        )}
      </main>
      {/* geo_info_from_ip_address() reads DB-IP's City Lite database: CC BY 4.0 asks for this link where results show */}
      <footer class="app-footer"><a href="https://db-ip.com" rel="noopener noreferrer" target="_blank">IP Geolocation by DB-IP</a></footer>
    </StatusContext.Provider>
  );
}

/** `/rules/<id>` → `<id>` (decoded), for `prefix` '/rules/'; undefined for another path or a bad %-escape. */
function param(path: string, prefix: string): string | undefined {
  if (!path.startsWith(prefix) || path.length === prefix.length) return undefined;
  try {
    return decodeURIComponent(path.slice(prefix.length));
  } catch {
    return undefined;
  }
}

function Route({ path: given }: { path: string }) {
  const path = given.length > 1 ? given.replace(/\/+$/, '') || '/' : given; // /findings/ is /findings
  if (path === '/' || path === '/index.html') return <FeedPage />;
  const rule = param(path, '/rules/');
  if (rule !== undefined) return <RulePage id={rule} />;
  if (path === '/whats-new') return <WhatsNewPage />;
  if (path === '/coverage') return <CoveragePage />;
  if (path === '/findings') return <FindingsPage />;
  const finding = param(path, '/findings/');
  if (finding !== undefined && !finding.includes('/')) return <FindingsPage finding={finding} />;
  if (path === '/runs') return <RunsPage />;
  const run = param(path, '/runs/');
  if (run !== undefined && /^\d+$/.test(run)) return <RunPage id={Number(run)} />;
  if (path === '/inventory') return <InventoryPage />;
  if (path === '/data') return <DataPage />;
  if (path === '/workbench') return <WorkbenchPage />;
  return <NotFound path={path} />;
}

function NotFound({ path }: { path: string }) {
  useTitle('Page not found');
  return (
    <div class="page" data-testid="not-found">
      <h1>Page not found</h1>
      <p>Nothing lives at <code>{path}</code>. <Link href="/">Back to the feed</Link>.</p>
    </div>
  );
}
