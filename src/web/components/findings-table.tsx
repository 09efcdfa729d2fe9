/** A compact findings table (findings page, rule page, hunt results); a row's first cell opens its detail. */
import type { FindingSummary } from '../../server/api.js';
import { Link } from '../router.js';
import { formatCount, formatTime } from '../format.js';
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

export function FindingsTable({ findings, selected, onOpen, showRule = true, testid = 'findings-table', caption }: FindingsTableProps) {
  if (findings.length === 0) return <p class="muted" data-testid={`${testid}-empty`}>No findings.</p>;
  return (
    <div class="table-wrap">
      <table class="grid findings" data-testid={testid}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            {showRule && <th scope="col">Rule</th>}
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
          {findings.map((f) => (
            <tr key={f.id} data-testid="finding-row" data-finding-id={f.id} aria-selected={f.id === selected ? 'true' : undefined}
              class={`${f.id === selected ? 'selected' : ''}${f.suppressed ? ' suppressed' : ''}`}>
              <td>
                {onOpen ? (
                  <button type="button" class="link-btn mono" onClick={() => onOpen(f)} data-testid="finding-open" aria-label={`Open finding ${f.id}`}>{f.id}</button>
                ) : (
                  <Link href={`/findings?finding=${encodeURIComponent(f.id)}`} class="mono" data-testid="finding-open">{f.id}</Link>
                )}
                {f.suppressed && <span class="badge badge-neutral" title={f.suppressedBy ? `Allowed by suppression #${f.suppressedBy}` : 'Suppressed'}>allowed</span>}
              </td>
              <td><SeverityBadge severity={f.severity} /></td>
              <td><TriageBadge status={f.status} /></td>
              {showRule && <td class="wrap"><Link href={`/rules/${encodeURIComponent(f.ruleId)}`}>{f.ruleName}</Link></td>}
              <td>{f.tool ?? ''}</td>
              <td>{f.device ?? ''}</td>
              <td>{f.user ?? ''}</td>
              <td class="num">{formatCount(f.count)}</td>
              <td class="nowrap">{formatTime(f.firstSeen)}</td>
              <td class="nowrap">{formatTime(f.lastSeen)}</td>
              <td>{f.assignee ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
