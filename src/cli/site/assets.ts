/** The static site's stylesheet and search script (plain files: no build step, no outside requests). */
export const SITE_CSS = `
:root { --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0969da; --bg: #fff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
.topbar { display: flex; gap: 1.5rem; align-items: center; padding: 0.6rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--panel); }
.topbar nav a { margin-right: 1rem; } .topbar nav a[aria-current] { font-weight: 600; color: var(--fg); }
.brand { font-weight: 700; text-decoration: none; color: var(--fg); }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
.muted { color: var(--muted); } .small { font-size: 0.85rem; } .mono, code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; } .mono { overflow-wrap: anywhere; } /* a source path is one long word at phone width */
pre.code { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem; overflow-x: auto; font-size: 0.85rem; }
section.panel { border: 1px solid var(--line); border-radius: 8px; padding: 0.25rem 1rem 0.75rem; margin: 1rem 0; }
section.panel h2 { font-size: 1.1rem; }
.badge { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: 0 0.5rem; margin: 0 0.25rem 0.25rem 0; font-size: 0.8rem; background: var(--panel); }
.sev-high { border-color: #cf222e; } .sev-medium { border-color: #bf8700; } .sev-low { border-color: #1a7f37; }
.cards { list-style: none; padding: 0; } .card { border: 1px solid var(--line); border-radius: 8px; padding: 0.6rem 0.9rem; margin: 0.5rem 0; }
.card-title { font-weight: 600; } .card p { margin: 0.25rem 0; }
input[type=search] { width: 100%; padding: 0.5rem 0.7rem; font-size: 1rem; border: 1px solid var(--line); border-radius: 6px; }
table.grid { border-collapse: collapse; width: 100%; } table.grid th, table.grid td { border: 1px solid var(--line); padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
.diff-add { background: #e6ffec; } .diff-del { background: #ffebe9; }
.diff div { white-space: pre-wrap; padding: 0 0.5rem; }
.matrix { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 0.5rem; }
.tactic h3 { font-size: 0.9rem; margin: 0.25rem 0; } .tech { font-size: 0.8rem; border: 1px solid var(--line); border-radius: 4px; padding: 0.15rem 0.35rem; margin: 0.15rem 0; }
.tech.covered { background: #dafbe1; border-color: #1a7f37; }
.disclaimer { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 0.4rem 0.7rem; }
footer.rule-footer { margin-top: 1.5rem; border-top: 1px solid var(--line); padding-top: 0.75rem; overflow-wrap: anywhere; }
`;

/**
 * The feed's search: the index (search-index.js, a script so it loads from file:// too) holds each rule's
 * page, name and searchable text; every word typed must appear. Renders with DOM calls (no innerHTML of
 * rule text), so nothing a rule says can become markup.
 */
export const SEARCH_JS = `(function () {
  var input = document.getElementById('search');
  var list = document.getElementById('rule-list');
  var count = document.getElementById('rule-count');
  var index = window.KQLITE_INDEX || [];
  var LIMIT = 200;
  function card(r) {
    var li = document.createElement('li'); li.className = 'card'; li.setAttribute('data-testid', 'rule-card');
    var t = document.createElement('div'); t.className = 'card-title';
    var a = document.createElement('a'); a.href = r[0]; a.textContent = r[1]; a.setAttribute('data-testid', 'rule-link'); t.appendChild(a); li.appendChild(t);
    var p = document.createElement('p'); p.className = 'muted small'; p.textContent = r[2]; li.appendChild(p);
    return li;
  }
  function run() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var text = index[i][3];
      var ok = true;
      for (var w = 0; w < words.length; w++) if (text.indexOf(words[w]) < 0) { ok = false; break; }
      if (ok) hits.push(index[i]);
    }
    list.textContent = '';
    for (var k = 0; k < hits.length && k < LIMIT; k++) list.appendChild(card(hits[k]));
    count.textContent = hits.length + (hits.length === 1 ? ' rule' : ' rules') + (hits.length > LIMIT ? ' (first ' + LIMIT + ' shown)' : '');
    remember();
  }
  var timer;
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  // the search is in the address (?q=), so Back from a rule page, a reload or a shared link shows the same list
  function remember() {
    var v = input.value.trim();
    try { history.replaceState(null, '', v ? '?q=' + encodeURIComponent(v) : location.pathname.split('/').pop()); } catch (e) { /* some file:// pages may not */ }
  }
  var q = new URLSearchParams(location.search).get('q');
  if (q) input.value = q;
  if (input.value) run();
  // a page restored from the back/forward cache, or a form field the browser refilled, keeps its filter
  window.addEventListener('pageshow', function () { if (input.value) run(); });
})();
`;
