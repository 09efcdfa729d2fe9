/**
 * The application shell: header with navigation and workspace status, the token gate, and the route table.
 * GET /api/status is loaded once here (and again after a token is entered or a hunt runs) and shared with
 * the pages through `StatusContext`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { StatusResponse } from '../server/api.js';
import { api, ApiRequestError } from './api-client.js';
import { Link, useLocation } from './router.js';
import { StatusContext } from './status-context.js';
import { onUnauthorized } from './token.js';
import { TokenForm } from './components/token-form.js';
import { ErrorBox } from './components/ui.js';
import { formatTime, formatCount } from './format.js';
import { FeedPage } from './pages/feed.js';
import { RulePage } from './pages/rule.js';
import { CoveragePage } from './pages/coverage.js';
import { FindingsPage } from './pages/findings.js';
import { DataPage } from './pages/data.js';
import { InventoryPage } from './pages/inventory.js';
import { WorkbenchPage } from './pages/workbench.js';
import { WhatsNewPage } from './pages/whats-new.js';


const NAV = [
  { href: '/', label: 'Feed', match: (p: string) => p === '/' || p.startsWith('/rules/') },
  { href: '/whats-new', label: "What's new", match: (p: string) => p === '/whats-new' },
  { href: '/coverage', label: 'Coverage', match: (p: string) => p === '/coverage' },
  { href: '/findings', label: 'Findings', match: (p: string) => p === '/findings' },
  { href: '/inventory', label: 'Inventory', match: (p: string) => p === '/inventory' },
  { href: '/data', label: 'Data', match: (p: string) => p === '/data' },
  { href: '/workbench', label: 'Workbench', match: (p: string) => p === '/workbench' },
];

export function App() {
  const loc = useLocation();
  const [status, setStatus] = useState<StatusResponse | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [needToken, setNeedToken] = useState(false);
  const [nonce, setNonce] = useState(0);
  const refresh = () => setNonce((n) => n + 1);

  useEffect(() => onUnauthorized(() => setNeedToken(true)), []);
  useEffect(() => {
    api.status().then(
      (s) => { setStatus(s); setError(undefined); setNeedToken(false); },
      (e: Error) => {
        if (e instanceof ApiRequestError && e.status === 401) setNeedToken(true);
        else setError(e);
      },
    );
  }, [nonce]);

  useEffect(() => {
    const page = NAV.find((n) => n.match(loc.path))?.label ?? 'Rule';
    document.title = `${page} · kqlite`;
  }, [loc.path]);

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
            <span>{formatCount(status.findings.total)} findings</span>
            {status.latestEvent && <span title="Latest event in the workspace: the default now()">data to {formatTime(status.latestEvent)}</span>}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {needToken ? (
          <TokenForm onDone={() => { setNeedToken(false); refresh(); }} />
        ) : (
          <>
            {error && <ErrorBox error={error} retry={refresh} />}
            <Route path={loc.path} />
          </>
        )}
      </main>
    </StatusContext.Provider>
  );
}

function Route({ path }: { path: string }) {
  if (path === '/' || path === '/index.html') return <FeedPage />;
  if (path.startsWith('/rules/')) return <RulePage id={decodeURIComponent(path.slice('/rules/'.length))} />;
  if (path === '/whats-new') return <WhatsNewPage />;
  if (path === '/coverage') return <CoveragePage />;
  if (path === '/findings') return <FindingsPage />;
  if (path === '/inventory') return <InventoryPage />;
  if (path === '/data') return <DataPage />;
  if (path === '/workbench') return <WorkbenchPage />;
  return (
    <div class="page">
      <h1>Page not found</h1>
      <p>Nothing lives at <code>{path}</code>. <Link href="/">Back to the feed</Link>.</p>
    </div>
  );
}
