/**
 * Tables with class `stack` show each row as a card of "label value" lines in a narrow window (styles/app.css),
 * so a phone sees every column instead of the first three. The labels come from the table's own header: this
 * hook copies each column's heading onto its cells (`data-label`) after every render.
 */
import { useEffect, useRef } from 'preact/hooks';

export function useCellLabels<T extends HTMLTableElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const table = ref.current;
    if (!table) return;
    const labels = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        if (labels[i] && cell.getAttribute('data-label') !== labels[i]) cell.setAttribute('data-label', labels[i]!);
      });
    }
  });
  return ref;
}
