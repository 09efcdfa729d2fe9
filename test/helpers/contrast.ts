// Text contrast as WCAG 2.x defines it (relative luminance, AA: 4.5:1, 3:1 for large text), measured in the
// page: each element holding text, its colour against the backgrounds under it (translucent ones blended).
import type { Page } from 'playwright-core';

// Plain JavaScript sent as text: the test's TypeScript transform would wrap named functions in a helper the
// page does not have.
const MEASURE = `(() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return undefined;
    const [r = 0, g = 0, b = 0, a = 1] = m[1].split(',').map(Number);
    return { r, g, b, a };
  };
  const channel = (v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const backgroundOf = (e) => {
    const layers = [];
    for (let p = e; p; p = p.parentElement) {
      const c = parse(getComputedStyle(p).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let col = { r: 255, g: 255, b: 255 };
    for (const l of layers.reverse()) col = { r: l.r * l.a + col.r * (1 - l.a), g: l.g * l.a + col.g * (1 - l.a), b: l.b * l.a + col.b * (1 - l.a) };
    return col;
  };
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const cs = getComputedStyle(e);
    if (cs.visibility === 'hidden' || !e.getBoundingClientRect().width) continue;
    if (e.closest('.monaco-editor, [disabled], [aria-disabled=true], .visually-hidden')) continue;
    const [hi, lo] = [luminance(parse(cs.color)), luminance(backgroundOf(e))].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const px = parseFloat(cs.fontSize);
    const large = px >= 24 || (px >= 18.66 && Number(cs.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push(ratio.toFixed(2) + ' ' + e.tagName.toLowerCase() + '.' + String(e.className) + ' "' + e.textContent.trim().slice(0, 30) + '" (' + cs.color + ')');
  }
  return out;
})()`;

/** Every text below AA on the page: 'ratio tag.class "text" (colour)'. Disabled controls and the editor are left out. */
export function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(MEASURE) as Promise<string[]>;
}
