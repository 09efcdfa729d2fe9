/**
 * A result value shown as a value, not as its JSON: a path as written (`C:\Users\x`, not `"C:\\Users\\x"`),
 * a set as a list of its items, a bag as key and value lines, a time in UTC. Long text and long lists fold
 * behind a "more" button, so a cell wraps instead of being cut off and never hides what it holds.
 */
import { useState } from 'preact/hooks';
import { formatTime } from '../format.js';

const TEXT_FOLD = 160;
const LIST_FOLD = 8;
const looksTime = (v: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v);

function More({ open, onToggle, hidden }: { open: boolean; onToggle: () => void; hidden: string }) {
  return (
    <button type="button" class="link-btn more" aria-expanded={open} onClick={onToggle} data-testid="value-more">
      {open ? 'less' : `more (${hidden})`}
    </button>
  );
}

function LongText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  if (text.length <= TEXT_FOLD) return <span class="vtext">{text}</span>;
  return (
    <span class="vtext">
      {open ? text : `${text.slice(0, TEXT_FOLD)}…`} <More open={open} onToggle={() => setOpen(!open)} hidden={`${text.length - TEXT_FOLD} characters`} />
    </span>
  );
}

function List({ items }: { items: unknown[] }) {
  const [open, setOpen] = useState(false);
  const shown = open ? items : items.slice(0, LIST_FOLD);
  return (
    <div>
      <ul class="vlist" data-testid="value-list">{shown.map((v, i) => <li key={i}><ValueView value={v} /></li>)}</ul>
      {items.length > LIST_FOLD && <More open={open} onToggle={() => setOpen(!open)} hidden={`${items.length - LIST_FOLD} items`} />}
    </div>
  );
}

export function ValueView({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return looksTime(value) ? <span class="nowrap">{formatTime(value, true)}</span> : <LongText text={value} />;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return <>{String(value)}</>;
  if (Array.isArray(value)) return value.length === 0 ? <span class="muted">(none)</span> : value.length === 1 ? <ValueView value={value[0]} /> : <List items={value} />;
  return (
    <dl class="vmap">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => <div key={k}><dt>{k}</dt><dd><ValueView value={v} /></dd></div>)}
    </dl>
  );
}
