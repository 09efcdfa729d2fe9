/**
 * A compact findings table (findings page, rule page, hunt results, run page); a row's first cell opens its
 * detail. "What" is the result group's key besides the device (a network rule's RemoteUrl, a process rule's
 * FileName): what tells one rule's findings on one device apart. A long list (a noisy rule's run) is drawn
 * ROWS_AT_ONCE rows at a time behind "Show more", so the page stays responsive.
 */
import { useState } from 'preact/hooks';
import type { FindingSummary } from '../../server/api.js';
import { Link } from '../router.js';
import { formatCount, formatTime } from '../format.js';
import { useCellLabels } from './stack-table.js';
import { SeverityBadge, TriageBadge } from './ui.js';

export interface FindingsTableProps {
  findings: FindingSummary[];
  /** Selected finding id (highlighted). */
  selected?: string;
  onOpen?: (f: FindingSummary) => void;
  showRule?: boolean;
  testid?: string;
  caption: string;
}

/** Rows drawn before "Show more". */
export const ROWS_AT_ONCE = 200;

export function FindingsTable({ findings, selected, onOpen, showRule = true, testid = 'findings-table', caption }: FindingsTableProps) {
  const ref = useCellLabels<HTMLTableElement>();
  const [shown, setShown] = useState(ROWS_AT_ONCE);
  if (findings.length === 0) return <p class="muted" data-testid={`${testid}-empty`}>No findings.</p>;
  const hidden = findings.length - shown;
  return (
    <div class="table-wrap">
      <table class="grid findings stack" data-testid={testid} ref={ref}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            {showRule && <th scope="col">Rule</th>}
            <th scope="col">What</th>
            <th scope="col">Tool</th>
            <th scope="col">Device</th>
            <th scope="col">User</th>
            <th scope="col" class="num">Count</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
            <th scope="col">Assignee</th>
          </tr>
        </thead>
        <tbody>
          {findings.slice(0, shown).map((f) => (
            <tr key={f.id} data-testid="finding-row" data-finding-id={f.id} aria-selected={f.id === selected ? 'true' : undefined}
              class={`${f.id === selected ? 'selected' : ''}${f.suppressed ? ' suppressed' : ''}`}>
              <td>
                {/* a real link (copy, open in a new tab, share); a plain click opens the detail in place */}
                <Link href={`/findings/${encodeURIComponent(f.id)}`} class="mono" data-testid="finding-open" aria-label={`Open finding ${f.id}`}
                  onClick={onOpen ? (e: MouseEvent) => { if (e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey) { e.preventDefault(); onOpen(f); } } : undefined}>{f.id}</Link>
                {f.suppressed && <span class="badge badge-neutral" title={f.suppressedBy ? `Allowed by suppression #${f.suppressedBy}` : 'Suppressed'}>allowed</span>}
              </td>
              <td><SeverityBadge severity={f.severity} /></td>
              <td><TriageBadge status={f.status} /></td>
              {showRule && <td class="wrap"><Link href={`/rules/${encodeURIComponent(f.ruleId)}`}>{f.ruleName}</Link></td>}
              <td class="what" data-testid="finding-what">
                {f.what.map((w) => <span key={w.column} class="what-part" title={w.column}><span class="what-col">{w.column}</span> {w.value}</span>)}
              </td>
              <td>{f.tool ?? ''}</td>
              <td>{f.device ?? ''}</td>
              <td>{f.user ?? ''}</td>
              <td class="num">{formatCount(f.count)}</td>
              {/* date over time: the rows are two lines tall anyway, and the table fits a laptop screen */}
              <td class="when">{formatTime(f.firstSeen)}</td>
              <td class="when">{formatTime(f.lastSeen)}</td>
              <td>{f.assignee ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hidden > 0 && (
        <button type="button" class="btn show-more-rows" onClick={() => setShown(shown + ROWS_AT_ONCE)} data-testid={`${testid}-more`}>
          Show {formatCount(Math.min(ROWS_AT_ONCE, hidden))} more of {formatCount(hidden)}
        </button>
      )}
    </div>
  );
}
