/**
 * The end-to-end walk through the web app that test/web/e2e.test.ts runs in headless Chromium: open the
 * feed, filter to T1219, open the Action1 network-connection rule and see every section, run the hunt, set a
 * finding to benign, see coverage mark T1219, and get a diagnostic for a misspelt column in the workbench
 * (and one marker for it, not one from each source).
 * Kept apart from the test so it can also be pointed at a running `kqlite serve` by hand.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export const SECTION_TITLES = ['Hunt Hypothesis', 'KQL Query', 'Analytic Rule Definition', 'Required Data Sources', 'MITRE ATT&CK Context', 'References', 'False Positive Guidance'];

/** Called after each step with a name for its screenshot (the test saves them as artifacts). */
export type Snap = (name: string) => Promise<void>;

export async function walkThrough(page: Page, base: string, log: (step: string) => void = () => {}, snap: Snap = async () => {}): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByTestId('rule-card').first().waitFor();
  log('feed open');
  // monaco's styles load with the workbench only
  assert.equal(await page.locator('link[href="/editor.css"]').count(), 0, 'no editor stylesheet outside the workbench');
  assert.equal(await page.evaluate(() => [...document.styleSheets].some((sheet) => [...sheet.cssRules].some((r) => r.cssText.includes('.monaco-scrollable-element')))), false);
  await snap('feed');

  await page.getByTestId('facet-technique').locator('[data-testid=facet-option][data-value=T1219]').click();
  await page.waitForURL(/technique=T1219/);
  const cards = page.getByTestId('rule-card');
  await cards.first().waitFor();
  for (const t of await page.getByTestId('rule-list').locator('[data-testid=technique]').allTextContents()) assert.match(t, /^T1219/);
  log('filtered to T1219');
  await snap('feed-t1219');

  await page.getByTestId('feed-search').fill('Action1 Network Connection');
  const card = page.locator('[data-testid=rule-card]', { has: page.getByText(/Action1 - Network Connection/) }).first();
  await card.getByTestId('rule-link').click();
  await page.getByTestId('rule-page').waitFor();
  assert.match(await page.getByTestId('rule-name').textContent() ?? '', /Action1.*Network Connection/);
  for (const title of SECTION_TITLES) await page.getByRole('heading', { name: title, exact: true }).waitFor();
  assert.match(await page.getByTestId('provenance').textContent() ?? '', /Retrieved: .* · Confidence: (high|medium|low)/);
  assert.ok((await page.locator('[data-testid=rule-query] .k-op').count()) > 0, 'the query is highlighted');
  log('rule page shows every section');
  await snap('rule-action1-netconn');

  await page.getByTestId('run-hunt').click();
  await page.getByTestId('hunt-result').waitFor({ timeout: 60_000 });
  const rows = page.getByTestId('hunt-findings').getByTestId('finding-row');
  assert.ok((await rows.count()) > 0, 'the Action1 rule finds the planted Action1 traffic');
  log(`hunt ran: ${await rows.count()} findings`);
  await snap('rule-hunt-results');

  await rows.first().getByTestId('finding-open').click();
  await page.getByTestId('finding-detail').waitFor();
  await page.getByTestId('set-status-benign').click();
  await page.waitForSelector('[data-testid=set-status-benign][aria-pressed=true]');
  const id = await page.getByTestId('finding-detail').getAttribute('data-finding-id');
  await page.waitForSelector(`[data-testid=finding-row][data-finding-id="${id}"] .triage-benign`);
  log(`finding ${id} set to benign`);
  await snap('finding-benign');

  await page.goto(`${base}/findings`);
  await page.getByTestId('finding-row').first().waitFor();
  // time bounds are ISO 8601 UTC text: a local-looking date is refused with a reason, a UTC one lands in the URL
  const since = page.getByTestId('filter-since');
  await since.fill('11/19/2026, 05:58:56 PM');
  assert.equal(await since.getAttribute('aria-invalid'), 'true');
  assert.match(await page.getByTestId('filter-since-error').textContent() ?? '', /ISO 8601.*2026-11-19T17:58:56Z/);
  await since.fill('2026-11-01 00:00');
  await since.press('Enter');
  await page.waitForURL(/since=2026-11-01T00%3A00%3A00.000Z/);
  assert.equal(await since.inputValue(), '2026-11-01T00:00:00Z', 'shown back in the canonical form');
  assert.equal(await since.getAttribute('aria-invalid'), 'false');
  await page.getByTestId('finding-row').first().waitFor();
  await snap('findings');
  await page.goto(`${base}/inventory`);
  await page.locator('main').getByText('Action1').first().waitFor();
  await snap('inventory');
  await page.getByTestId('nav-data').click();
  await page.waitForURL(/\/data$/);
  assert.match(await page.getByTestId('data-tables').textContent() ?? '', /DeviceNetworkEvents/, 'the workspace tables are listed');
  await page.getByTestId('quarantine-empty').waitFor(); // the demo data has nothing set aside
  await snap('data');

  await page.getByTestId('nav-coverage').click();
  const cell = page.locator('[data-testid=technique-cell][data-technique=T1219]');
  await cell.waitFor();
  assert.equal(await cell.getAttribute('data-covered'), 'true');
  assert.ok(Number(await cell.getAttribute('data-findings')) > 0, 'T1219 is marked as having findings');
  await cell.click();
  await page.getByTestId('technique-detail').waitFor();
  log('coverage marks T1219');
  await snap('coverage');

  await page.getByTestId('nav-workbench').click();
  await page.waitForSelector('[data-testid=query-editor][data-state=ready]', { timeout: 60_000 });
  assert.equal(await page.locator('link[href="/editor.css"]').count(), 1, 'the workbench links the editor stylesheet');
  assert.equal(await page.locator('[data-testid=query-editor] .monaco-editor').evaluate((e) => getComputedStyle(e).position), 'relative', 'monaco is styled');
  const asOf = page.getByTestId('as-of');
  const latestAsOf = await asOf.inputValue();
  assert.match(latestAsOf, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'now() starts at the latest event, in UTC');
  await asOf.fill('2026-02-30T00:00:00Z');
  assert.match(await page.getByTestId('as-of-error').textContent() ?? '', /2026-02 has no day 30/);
  await page.getByTestId('as-of-latest').click();
  assert.equal(await asOf.inputValue(), latestAsOf);
  assert.equal(await page.getByTestId('as-of-error').textContent(), '');
  // coloured at once by the Monarch tokenizer, without waiting for the language service's worker
  await page.waitForFunction(() => new Set([...document.querySelectorAll('[data-testid=query-editor] .view-lines span span')]
    .map((s) => getComputedStyle(s).color)).size > 2, undefined, { timeout: 10_000 });
  await page.locator('[data-testid=query-editor] .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('DeviceProcessEvents\n| where FileNam has "anydesk"\n| take 5');
  await page.keyboard.press('Control+Enter');
  const diag = page.getByTestId('diagnostics-list').getByTestId('diagnostic').first();
  await diag.waitFor();
  assert.match(await diag.textContent() ?? '', /FileNam/);
  await page.locator('[data-testid=query-editor] .squiggly-error').first().waitFor();
  // one marker for the one problem: the language service marks the misspelt column too, but once it has (the
  // editor counts the markers it hid) the editor's problems are only the server's one, with its suggestion
  await page.waitForSelector('[data-testid=query-editor][data-markers-hidden="1"]', { timeout: 60_000 });
  const serverFirst = await problems(page);
  assert.equal(serverFirst.count, '1 of 1 problem', 'one marker');
  assert.match(serverFirst.first, /unknown column or variable 'FileNam'; did you mean 'FileName'\?/, 'the server\'s');
  log('workbench shows the misspelt column as a diagnostic and one marker');
  await snap('workbench-diagnostic');

  // the other order: the language service marks the column before the query runs (nothing has run on this
  // text, so the squiggle is its own), then the server's marker takes its place
  await page.locator('[data-testid=query-editor] .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('DeviceProcessEvents\n| where FileNam has "anydesk"\n| take 5');
  await page.locator('[data-testid=query-editor] .squiggly-error').first().waitFor({ timeout: 60_000 });
  const before = await problems(page);
  assert.equal(before.count, '1 of 1 problem', 'the language service\'s marker alone');
  assert.match(before.first, /FileNam/);
  assert.doesNotMatch(before.first, /unknown column or variable/, 'not yet the server\'s');
  await page.keyboard.press('Control+Enter');
  // the edit set the count back to 0; 1 again means the server's diagnostics are in and hide the marker
  await page.waitForSelector('[data-testid=query-editor][data-markers-hidden="1"]');
  const after = await problems(page);
  assert.equal(after.count, '1 of 1 problem', 'one marker');
  assert.match(after.first, /unknown column or variable 'FileNam'/, 'the server\'s');
  log('one marker for the misspelt column whichever source marks it first');

  await page.locator('[data-testid=query-editor] .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('DeviceNetworkEvents\n| summarize n = count() by bin(Timestamp, 1h)');
  // the misspelt column's markers went with its text (none left squeezed to the end of the new query) ...
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  assert.equal(await page.locator('[data-testid=query-editor] .squiggly-error').count(), 0, 'no stale error marker');
  // ... and once the language service has coloured the new text by meaning, it has checked it too: no error
  await page.locator('[data-testid=query-editor] .view-lines .Column', { hasText: 'Timestamp' }).first().waitFor({ timeout: 60_000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  assert.equal(await page.locator('[data-testid=query-editor] .squiggly-error').count(), 0, 'a valid query has no error marker');
  assert.ok(await page.locator('[data-testid=query-editor] .view-lines .Function', { hasText: 'count' }).count() > 0, 'functions are coloured by meaning');
  await page.getByTestId('run-query').click();
  await page.getByTestId('result-grid').waitFor();
  assert.ok((await page.getByTestId('result-row').count()) > 0);
  await page.getByTestId('view-chart').click();
  await page.getByTestId('result-chart').waitFor();
  log('workbench runs a query and charts it');
  await snap('workbench-chart');

  // Run takes the blank-line-separated query at the cursor; its diagnostics point into the whole text
  await page.locator('[data-testid=query-editor] .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('print first = 1\n\nprint second = Nope');
  await page.keyboard.press('Control+Enter');
  const blockDiag = page.getByTestId('diagnostics-list').getByTestId('diagnostic').first();
  await blockDiag.waitFor();
  assert.match(await blockDiag.textContent() ?? '', /3:16.*Nope/, 'the second block\'s error, at its line in the editor');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('result-grid').waitFor();
  const grid = await page.getByTestId('result-grid').textContent() ?? '';
  assert.ok(grid.includes('first') && !grid.includes('second'), 'only the block at the cursor ran');
  log('workbench runs the query block at the cursor');
}

/**
 * The editor's problems as its marker navigation (F8, "Go to Next Problem") shows the first: how many markers
 * the text has, from every source, and the first one's message. Closed again with Escape.
 */
async function problems(page: Page): Promise<{ count: string; first: string }> {
  const widget = page.locator('[data-testid=query-editor] .peekview-widget');
  await page.keyboard.press('F8');
  const count = await widget.locator('.peekview-title .dirname').textContent() ?? '';
  const first = await widget.locator('.marker-widget .descriptioncontainer').textContent() ?? '';
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden' });
  return { count, first };
}

/** A phone (390 px): facets fold away, wide tables become one card per row, nothing scrolls sideways. */
export async function narrowWindow(page: Page, base: string, snap: Snap = async () => {}): Promise<void> {
  await page.setViewportSize({ width: 390, height: 900 });
  await page.goto(`${base}/`);
  await page.getByTestId('rule-card').first().waitFor();
  const toggle = page.getByTestId('filters-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByTestId('feed-filters').isVisible(), false, 'the facets are folded away');
  await snap('feed-narrow');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.getByTestId('facet-severity').locator('[data-testid=facet-option][data-value=medium]').click();
  await page.waitForURL(/severity=medium/);
  assert.match(await toggle.textContent() ?? '', /Filters \(1\)/, 'the button counts the filters in use');
  await snap('feed-narrow-filters');

  for (const [path, table] of [['/findings', 'findings-table'], ['/inventory', 'inventory-table']] as const) {
    await page.goto(`${base}${path}`);
    await page.getByTestId(table).waitFor();
    const widths = await page.getByTestId(table).evaluate((t) => {
      const wrap = t.parentElement!;
      return { page: document.documentElement.scrollWidth, window: window.innerWidth, wrap: wrap.clientWidth, table: t.scrollWidth };
    });
    assert.ok(widths.page <= widths.window, `${path}: the page does not scroll sideways (${JSON.stringify(widths)})`);
    assert.ok(widths.table <= widths.wrap, `${path}: the rows are cards as wide as the window, nothing to scroll to (${JSON.stringify(widths)})`);
    await snap(`${path.slice(1)}-narrow`);
  }
}
