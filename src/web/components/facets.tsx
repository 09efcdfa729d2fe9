/**
 * A facet filter: one group of values with counts (from the API), each a toggle button. The selected value
 * is shown first and pressed; long groups show their top values with a button to reveal the rest.
 */
import { useState } from 'preact/hooks';
import type { FacetCount } from '../../server/api.js';
import { formatCount } from '../format.js';

export interface FacetGroupProps {
  name: string;
  label: string;
  values: FacetCount[];
  selected: string | undefined;
  onSelect: (value: string | undefined) => void;
  /** Display text of a value (e.g. a technique name next to its id). */
  describe?: (value: string) => string | undefined;
  initiallyShown?: number;
}

export function FacetGroup({ name, label, values, selected, onSelect, describe, initiallyShown = 8 }: FacetGroupProps) {
  const [expanded, setExpanded] = useState(false);
  const ordered = selected && !values.some((v) => v.value === selected) ? [{ value: selected, count: 0 }, ...values] : values;
  const shown = expanded ? ordered : ordered.slice(0, initiallyShown);
  if (selected && !shown.some((v) => v.value === selected)) shown.unshift(ordered.find((v) => v.value === selected)!);
  const headingId = `facet-${name}-label`;
  return (
    <div class="facet" data-testid={`facet-${name}`} role="group" aria-labelledby={headingId}>
      <div class="facet-head">
        <h3 id={headingId}>{label}</h3>
        {selected && <button type="button" class="link-btn" onClick={() => onSelect(undefined)} aria-label={`Clear ${label} filter`}>clear</button>}
      </div>
      {values.length === 0 && !selected && <p class="muted small">none</p>}
      <ul>
        {shown.map((v) => {
          const on = v.value === selected;
          const desc = describe?.(v.value);
          return (
            <li key={v.value}>
              <button type="button" class="facet-value" aria-pressed={on} data-testid="facet-option" data-value={v.value}
                title={desc ? `${v.value} ${desc}` : v.value} onClick={() => onSelect(on ? undefined : v.value)}>
                <span class="facet-text">{v.value}{desc && <span class="muted"> {desc}</span>}</span>
                <span class="facet-count">{formatCount(v.count)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {ordered.length > initiallyShown && (
        <button type="button" class="link-btn small" onClick={() => setExpanded(!expanded)} aria-expanded={expanded}>
          {expanded ? 'Show fewer' : `Show all ${formatCount(ordered.length)}`}
        </button>
      )}
    </div>
  );
}
