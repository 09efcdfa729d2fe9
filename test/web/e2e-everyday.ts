/**
 * What a new user tripped over, walked through in Chromium (test/web/e2e.test.ts runs these): every page at
 * 1440 and 390 px (titled, nothing scrolling sideways, screenshots), shareable finding / run links, what
 * tells findings apart, evidence shown as values, the timeline, one count of findings, the feed's sort and
 * one "server did not answer" banner. Expects a workspace the full pack has hunted.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Snap } from './e2e-flow.js';

const ACTION1_NET = 'kqlite-rmm-action1-netconn';
const ACTION1_NAME = 'RMM tool - Action1 - Network Connection';

interface PageCase { name: string; path: string; ready: string; title: RegExp }

async function pages(page: Page, base: string): Promise<PageCase[]> {
  const findings = (await (await page.request.get(`${base}/api/findings?rule=${ACTION1_NET}`)).json()) as { findings: { id: string }[] };
  const runs = (await (await page.request.get(`${base}/api/hunts`)).json()) as { runs: { id: number }[] };
  const f = findings.findings[0]!.id;
  const run = runs.runs[0]!.id;
  return [
    { name: 'feed', path: '/', ready: '[data-testid=rule-card]', title: /^Detection feed · kqlite$/ },
    { name: 'rule', path: `/rules/${ACTION1_NET}`, ready: '[data-testid=rule-page]', title: new RegExp(`^${ACTION1_NAME} · kqlite$`) },
    { name: 'findings', path: '/findings', ready: '[data-testid=finding-row]', title: /^Findings · kqlite$/ },
    { name: 'finding', path: `/findings/${f}`, ready: '[data-testid=evidence-row]', title: new RegExp(`^Finding ${f} · kqlite$`) },
    { name: 'runs', path: '/runs', ready: '[data-testid=run-row]', title: /^Hunt runs · kqlite$/ },
    { name: 'run', path: `/runs/${run}`, ready: '[data-testid=run-findings] [data-testid=finding-row]', title: new RegExp(`^Hunt run #${run} · kqlite$`) },
    { name: 'inventory', path: '/inventory', ready: '[data-testid=inventory-row]', title: /^RMM inventory · kqlite$/ },
    { name: 'coverage', path: '/coverage', ready: '[data-testid=attack-matrix]', title: /^ATT&CK coverage · kqlite$/ },
    { name: 'data', path: '/data', ready: '[data-testid=data-tables]', title: /^Data · kqlite$/ },
    { name: 'workbench', path: '/workbench', ready: '[data-testid=query-editor][data-state=ready]', title: /^KQL workbench · kqlite$/ },
    { name: 'not-found', path: '/no/such/page', ready: '[data-testid=not-found]', title: /^Page not found · kqlite$/ },
  ];
}

/** Every page at a desktop and a phone width: its own title, no sideways scrolling, every column in view. */
export async function everyPageAtBothWidths(page: Page, base: string, snap: Snap): Promise<void> {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const p of await pages(page, base)) {
      await page.goto(`${base}${p.path}`);
      await page.locator(p.ready).first().waitFor({ timeout: 60_000 });
      assert.match(await page.title(), p.title, `${p.path}: title`);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(w <= width, `${p.path} at ${width} px: the page is ${w} px wide`);
      if (width === 390) {
        // the nav wraps instead of scrolling: every link fully inside the window
        for (const box of await page.locator('nav[aria-label=Main] a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().toJSON() as DOMRect))) {
          assert.ok(box.left >= 0 && box.right <= 390, `${p.path}: a nav link at ${box.left}-${box.right}`);
        }
      }
      await snap(`${p.name}-${width}`);
    }
  }
  // on a phone a findings row is a card showing every column, labelled
  await page.goto(`${base}/findings?tool=Action1`);
  const row = page.getByTestId('finding-row').first();
  await row.waitFor();
  const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => ({ label: td.getAttribute('data-label'), shown: td.getBoundingClientRect().width > 0 && td.getBoundingClientRect().right <= 390, empty: !td.textContent?.trim() })));
  for (const label of ['Finding', 'Severity', 'Rule', 'What', 'Tool', 'Device', 'Count', 'Last seen']) {
    assert.ok(cells.some((c) => c.label === label && c.shown), `the phone's finding card shows ${label}: ${JSON.stringify(cells)}`);
  }
  await page.goto(`${base}/inventory`);
  // evaluateAll does not wait: wait for the first card before measuring it
  const invRow = page.getByTestId('inventory-row').first();
  await invRow.locator('td').first().waitFor();
  const inv = await invRow.locator('td').evaluateAll((tds) => tds.filter((td) => td.getBoundingClientRect().width > 0 && td.getBoundingClientRect().right <= 390).map((td) => td.getAttribute('data-label')));
  for (const label of ['Tool', 'Device', 'State', 'Last seen', 'Findings']) assert.ok(inv.includes(label), `inventory card shows ${label}: ${inv}`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Shareable addresses, what tells findings apart, evidence as values, the timeline, counts, sort, banner. */
export async function everydayUse(page: Page, base: string, snap: Snap): Promise<void> {
  // a finding opened from the list has its own address, which survives a reload
  await page.goto(`${base}/findings?tool=Action1`);
  await page.getByTestId('finding-row').first().getByTestId('finding-open').click();
  await page.getByTestId('finding-detail').waitFor();
  const id = await page.getByTestId('finding-detail').getAttribute('data-finding-id');
  assert.match(new URL(page.url()).pathname, new RegExp(`^/findings/${id}$`));
  await page.reload();
  await page.getByTestId('evidence-row').first().waitFor();
  assert.equal(await page.getByTestId('finding-link').getAttribute('href'), `/findings/${id}`);

  // one rule on one device: its findings are told apart by their RemoteUrl, on the rule page too
  await page.goto(`${base}/rules/${ACTION1_NET}`);
  const mine = page.getByTestId('rule-findings-table').getByTestId('finding-row').filter({ hasText: 'it-admin-01.contoso.local' });
  await mine.first().waitFor();
  const whats = await mine.getByTestId('finding-what').allTextContents();
  assert.equal(whats.length, 2, whats.join(' | '));
  assert.equal(new Set(whats).size, 2, `told apart: ${whats}`);
  assert.ok(whats.every((w) => /^RemoteUrl https:\/\/server\.action1\.com\//.test(w)), whats.join(' | '));

  // Run hunt gives a link to its run, whose page lists what it found
  await page.goto(`${base}/rules/kqlite-rmm-anydesk-netconn`);
  await page.getByTestId('run-hunt').click();
  const runLink = page.getByTestId('hunt-result').getByTestId('run-link');
  await runLink.waitFor({ timeout: 60_000 });
  const runHref = await runLink.getAttribute('href');
  assert.match(runHref ?? '', /^\/runs\/\d+$/);
  await runLink.click();
  await page.waitForURL(new RegExp(`${runHref}$`));
  const runRows = page.getByTestId('run-findings').getByTestId('finding-row');
  await runRows.first().waitFor();
  assert.ok((await runRows.allTextContents()).every((t) => /AnyDesk - Network Connection/.test(t)));

  // evidence values as values: a path with single backslashes, a one-item set as its item, long lists folded
  const proc = (await (await page.request.get(`${base}/api/findings?rule=kqlite-rmm-anydesk-createproc`)).json()) as { findings: { id: string }[] };
  await page.goto(`${base}/findings/${proc.findings[0]!.id}`);
  const folders = page.getByTestId('evidence').locator('td[data-column=Folders]').first();
  await folders.waitFor();
  assert.equal((await folders.textContent())?.trim(), 'C:\\Users\\hiro.rossi\\Downloads\\AnyDesk.exe');
  assert.doesNotMatch(await page.getByTestId('evidence').textContent() ?? '', /\\\\|\["|\[\d/, 'no JSON escapes or brackets');
  await snap('evidence-values');
  const net = (await (await page.request.get(`${base}/api/findings?rule=${ACTION1_NET}`)).json()) as { findings: { id: string; device: string }[] };
  const busy = net.findings.find((f) => f.device.startsWith('it-admin-02'))!;
  await page.goto(`${base}/findings/${busy.id}`);
  const reports = page.getByTestId('evidence').locator('td[data-column=Report]').first();
  await reports.getByTestId('value-list').waitFor();
  assert.equal(await reports.locator('li').count(), 8, 'a long list folds after 8 items');
  await reports.getByTestId('value-more').click();
  assert.ok((await reports.locator('li').count()) > 8, 'and unfolds');
  assert.equal(await reports.getByTestId('value-more').getAttribute('aria-expanded'), 'true');

  // the timeline of a device with two tools: zero-filled hourly bins, distinct labels, two distinguishable lines
  const chart = page.getByTestId('timeline-chart');
  await chart.locator('g[data-series]').nth(1).waitFor();
  const lines = await chart.locator('g[data-series] polyline').evaluateAll((ps) => ps.map((p) => ({
    dash: p.getAttribute('stroke-dasharray') ?? '', width: p.getAttribute('stroke-width'), color: p.getAttribute('stroke'),
    xs: (p.getAttribute('points') ?? '').split(' ').map((pt) => Number(pt.split(',')[0])),
  })));
  assert.equal(lines.length, 2, 'one line per tool');
  assert.notEqual(lines[0]!.dash, lines[1]!.dash);
  assert.notEqual(lines[0]!.width, lines[1]!.width, 'the first drawn wider, underneath');
  for (const l of lines) {
    const steps = l.xs.slice(1).map((x, i) => x - l.xs[i]!);
    assert.ok(l.xs.length > 24 && Math.max(...steps) - Math.min(...steps) < 0.25, `every hour is a point (zero-filled): ${l.xs.length} points, steps ${Math.min(...steps)}..${Math.max(...steps)}`);
  }
  assert.equal(lines[0]!.xs.length, lines[1]!.xs.length);
  const labels = await chart.locator('.x-tick text').allTextContents();
  assert.ok(labels.length >= 2 && new Set(labels).size === labels.length, `x labels distinct: ${labels}`);
  assert.equal(await page.getByTestId('timeline').getByTestId('legend-item').count(), 2);
  await snap('timeline-two-tools');
  // the tool's view: its two hosts' lines lie on each other at most hours (0 events), and both still show
  await page.getByTestId('timeline-tool').click();
  await chart.locator('g[data-series="it-admin-01.contoso.local"]').waitFor();
  const hosts = await chart.locator('g[data-series] polyline').evaluateAll((ps) => ps.map((p) => [p.getAttribute('stroke-dasharray'), p.getAttribute('stroke-width')]));
  assert.equal(hosts.length, 2);
  assert.ok(hosts[0]![0] !== hosts[1]![0] && Number(hosts[0]![1]) > Number(hosts[1]![1]), 'drawn so that both are seen where they overlap');
  await snap('timeline-overlapping-series');

  // one count of findings: the header's is the sum of the rule cards'; an allowance lowers both alike
  const sumOfCards = async () => {
    await page.goto(`${base}/?sort=findings`);
    await page.getByTestId('rule-card').first().waitFor();
    const counts = (await page.getByTestId('rule-findings').allTextContents()).map((t) => Number(t.replace(/\D/g, '')));
    const header = Number((await page.getByTestId('workspace-status').getByRole('link').textContent())?.replace(/\D/g, ''));
    return { header, cards: counts.reduce((a, b) => a + b, 0), counts };
  };
  const before = await sumOfCards();
  assert.equal(before.header, before.cards);
  assert.deepEqual(before.counts, [...before.counts].sort((a, b) => b - a), 'sorted by findings');
  assert.match(page.url(), /sort=findings/);
  const allowed = (await (await page.request.post(`${base}/api/suppressions`, { data: { target: 'Action1', reason: 'patching tool' }, headers: { origin: base } })).json()) as { id: number };
  const after = await sumOfCards();
  assert.equal(after.header, after.cards);
  assert.ok(after.header < before.header, `allowing Action1 lowers the count (${before.header} → ${after.header})`);
  await page.request.delete(`${base}/api/suppressions/${allowed.id}`, { headers: { origin: base } });
  await page.getByTestId('feed-sort').selectOption('updated');
  await page.waitForURL(/sort=updated/);
  await page.getByTestId('rule-updated').first().waitFor();

  // the server stops answering: one banner, in plain words, and Retry brings the page back
  await page.goto(`${base}/inventory`);
  await page.getByTestId('inventory-row').first().waitFor();
  await page.route('**/api/**', (r) => r.abort('connectionrefused'));
  await page.getByTestId('nav-coverage').click();
  await page.getByTestId('unreachable').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByText(/did not answer/).count(), 1, 'said once');
  assert.doesNotMatch(await page.getByTestId('unreachable').textContent() ?? '', /`/);
  assert.equal(await page.getByTestId('error').count(), 0);
  await snap('server-did-not-answer');
  await page.unroute('**/api/**');
  await page.getByTestId('unreachable').getByRole('button', { name: 'Retry' }).click();
  await page.getByTestId('attack-matrix').waitFor();
  await page.getByTestId('unreachable').waitFor({ state: 'detached' });
}
