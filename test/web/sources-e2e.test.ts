// Rule sources end to end in headless Chromium: a git repository built in the test is added and synced
// through the CLI; its rules show their upstream links and the "Original source" footer; a change upstream
// appears under What's new with its diff and in the Atom and JSON feeds; the seed rules synced from a git
// copy of the RMM tools repository show every seed section; the built-in seed rules link upstream out of
// the box; the static site works from a static file server and from file://.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { test, before, after } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium, SHOTS } from '../helpers/browser.js';
import { buildServer } from '../../src/server/app.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, initRepo } from '../helpers/git-repo.js';
import { SHARED } from '../helpers/corpus.js';
import { validateAtom, validateJsonFeed } from '../helpers/feed-validate.js';
import { ANALYTIC, HUNTING, MARKDOWN } from '../cli/fixtures/sources-rules.js';
import { SECTION_TITLES } from './e2e-flow.js';

const skip = browserSkip;
const BEACON = '11111111-2222-3333-4444-555555555555';
const WEB = 'https://git.example.com/community/-/blob/{commit}/{path}';
const RMM_WEB = 'https://github.com/jischell-msft/RemoteManagementMonitoringTools/blob/{commit}/{path}';
const SEEDS = ['7da76b41-8c1d-4602-91c6-5d99738d38f4', 'b4bae4af-5fe3-4217-bef0-c7ac5d51f3d1', 'd5559c16-6959-4974-8051-c39d52886862'];

let root: string;
let ws: string;
let browser: Browser | undefined;

// in a child process: muting this process's stdout would also mute the test reporter's lines
async function cli(args: string[]): Promise<number> {
  const r = await runCli([...args, '--workspace', ws], { timeoutMs: 120_000 });
  if (r.code !== 0) process.stderr.write(r.stdout + r.stderr);
  return r.code;
}

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'kqlite-sources-e2e-'));
  ws = join(root, 'ws');
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--outdir', join(root, 'web')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  browser = await launchChromium(['--allow-file-access-from-files']);
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function newPage(base: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !/^(data|blob):/.test(r.url())) problems.push(`request to another origin: ${r.url()}`); });
  page.setDefaultTimeout(30_000);
  return { page, problems };
}

const shot = (page: Page, name: string) => { mkdirSync(SHOTS, { recursive: true }); return page.screenshot({ path: join(SHOTS, `sources-${name}.png`) }); };

test('add a source, see upstream links and the footer, change a rule upstream, see it under What\'s new with its diff and in the feeds', { skip, timeout: 240_000 }, async () => {
  const repo = join(root, 'community');
  initRepo(repo);
  commitFiles(repo, { 'LICENSE': 'MIT License\n', 'rules/beaconing.yaml': ANALYTIC(5) }, 'first');
  const second = commitFiles(repo, { 'rules/encoded.yaml': HUNTING, 'md/lsass.md': MARKDOWN }, 'second');
  assert.equal(await cli(['sources', 'add', repo, '--name', 'community', '--web-url', WEB]), 0);
  const app = await buildServer({ workspaceDir: ws, webRoot: join(root, 'web'), engineWorkers: 1 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { page, problems } = await newPage(base);
  try {
    // out of the box: the seed rule links to Azure-Sentinel as the seed page does
    await page.goto(`${base}/rules/${SEEDS[0]}`);
    await page.getByTestId('rule-page').waitFor();
    const seedLink = page.getByTestId('original-upstream');
    assert.equal(await seedLink.textContent(), 'View original rule at Azure-Sentinel →');
    assert.equal(await page.getByTestId('original-source').textContent(), 'Original source: https://github.com/Azure/Azure-Sentinel/blob/main/Hunting Queries/Microsoft 365 Defender/RemoteManagementMonitoring/rmm_Action1_netconn.yaml');
    assert.equal(await seedLink.getAttribute('href'), 'https://github.com/Azure/Azure-Sentinel/blob/main/Hunting%20Queries/Microsoft%20365%20Defender/RemoteManagementMonitoring/rmm_Action1_netconn.yaml');
    assert.match(await page.getByTestId('provenance').textContent() ?? '', /Retrieved: 2026-05-25T23:00:00Z · Confidence: medium/);

    await page.goto(`${base}/?source=community`);
    await page.getByTestId('rule-card').first().waitFor();
    assert.equal(await page.getByTestId('rule-count').textContent(), '4 rules');
    await page.getByTestId('feed-search').fill('beaconing');
    await page.locator('[data-testid=rule-card]', { hasText: 'Remote tool beaconing' }).getByTestId('rule-link').click();
    await page.getByTestId('rule-page').waitFor();
    for (const title of [...SECTION_TITLES, 'Sources and Licences']) await page.getByRole('heading', { name: title, exact: true }).waitFor();
    const upstream = page.getByTestId('original-upstream');
    assert.equal(await upstream.textContent(), 'View original rule at community →');
    assert.equal(await upstream.getAttribute('href'), `https://git.example.com/community/-/blob/${second}/rules/beaconing.yaml`);
    assert.equal(await page.getByTestId('original-source').textContent(), `Original source: https://git.example.com/community/-/blob/${second}/rules/beaconing.yaml`);
    assert.match(await page.getByTestId('origins').textContent() ?? '', /Licence: LICENSE \(MIT License\).*Author: Jane Analyst/);
    assert.equal(await page.locator('a[href^="file:"], a[href^="javascript:"]').count(), 0, 'no link a browser cannot open');
    await shot(page, 'rule-upstream');

    const third = commitFiles(repo, { 'rules/beaconing.yaml': ANALYTIC(10) }, 'third');
    assert.equal(await cli(['sources', 'sync']), 0);
    await page.getByTestId('nav-what-s-new').click();
    await page.getByTestId('whats-new').waitFor();
    const updated = page.getByTestId('change-updated').filter({ hasText: 'Remote tool beaconing' });
    await updated.waitFor();
    assert.deepEqual(await updated.locator('[data-testid=diff-line][data-op=del]').allTextContents(), ['- | where Count > 5']);
    assert.deepEqual(await updated.locator('[data-testid=diff-line][data-op=add]').allTextContents(), ['+ | where Count > 10']);
    assert.equal(await page.getByTestId('change-added').count(), 4);
    await shot(page, 'whats-new');
    await updated.getByRole('link', { name: 'Remote tool beaconing to rare domains' }).click();
    await page.getByTestId('rule-page').waitFor();
    assert.equal(await page.getByTestId('original-upstream').getAttribute('href'), `https://git.example.com/community/-/blob/${third}/rules/beaconing.yaml`);
    assert.match(await page.getByTestId('provenance').textContent() ?? '', /Version 2/);

    const atom = validateAtom(await (await page.request.get(`${base}/feed.atom?source=community`)).text());
    assert.match(atom.find((e) => e.link.endsWith(BEACON))!.content, /where Count > 10/);
    const items = validateJsonFeed(await (await page.request.get(`${base}/feed.json?source=community`)).text());
    assert.match(items.find((i) => i.url!.endsWith(BEACON))!.content_text!, /where Count > 10/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await app.close();
  }
});

test('the three seed rules synced from a git copy of the RMM tools repository show every seed section and link to their upstream files; coverage and Navigator include them', { skip, timeout: 240_000 }, async () => {
  const rmm = join(root, 'rmm-tools');
  cpSync(join(SHARED, 'corpus', 'rmm-tools'), rmm, { recursive: true });
  initRepo(rmm);
  const commit = commitFiles(rmm, {}, 'copy of the RMM tools repository');
  assert.equal(await cli(['sources', 'add', rmm, '--name', 'rmm-tools', '--web-url', RMM_WEB]), 0);
  const app = await buildServer({ workspaceDir: ws, webRoot: join(root, 'web'), engineWorkers: 1 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { page, problems } = await newPage(base);
  try {
    for (const id of SEEDS) {
      await page.goto(`${base}/rules/${id}`);
      await page.getByTestId('rule-page').waitFor();
      for (const title of SECTION_TITLES) await page.getByRole('heading', { name: title, exact: true }).waitFor();
      const file = /Action1/.test(await page.getByTestId('rule-name').textContent() ?? '') ? 'Action1/rmm_Action1_netconn.yaml' : id === SEEDS[1] ? 'mRemoteNG/rmm_mRemoteNG_netconn.yaml' : 'TacticalRMM/rmm_TacticalRMM_netconn.yaml';
      const url = `https://github.com/jischell-msft/RemoteManagementMonitoringTools/blob/${commit}/RMM/${file}`;
      // the page links the synced upstream file: as its primary source, or as another origin of the same query
      const links = await page.locator('a[href^="https://github.com/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(links.includes(url), `${id} links ${url}: ${links.join(', ')}`);
      assert.match(await page.getByTestId('original-source').textContent() ?? '', /^Original source: https:\/\/github\.com\//);
      assert.match(await page.getByTestId('rule-query').textContent() ?? '', /DeviceNetworkEvents/);
      await shot(page, `seed-${id.slice(0, 8)}`);
    }
    await page.getByTestId('nav-coverage').click();
    const t1219 = page.locator('[data-testid=technique-cell][data-technique=T1219]');
    await t1219.waitFor();
    assert.equal(await t1219.getAttribute('data-covered'), 'true');
    const layer = await (await page.request.get(`${base}/api/coverage/navigator`)).json() as { techniques: { techniqueID: string }[] };
    assert.ok(layer.techniques.some((t) => t.techniqueID === 'T1003.001'), 'synced content is in the layer');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await app.close();
  }
});

/** A minimal static file server for the built site (what any static host does). */
function staticServer(dir: string): Promise<{ server: Server; base: string }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.atom': 'application/atom+xml' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const f = join(dir, path.endsWith('/') ? path + 'index.html' : path);
    if (!f.startsWith(dir) || !existsSync(f) || !statSync(f).isFile()) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': types[extname(f)] ?? 'application/octet-stream' }).end(readFileSync(f));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

test('site build: the feed with search, rule pages with every section and the upstream footer, coverage and What\'s new, from a static server and from file://', { skip, timeout: 240_000 }, async () => {
  const out = join(root, 'site');
  assert.equal(await cli(['site', 'build', '--out', out, '--base-url', 'https://soc.example.com/feed']), 0);
  validateAtom(readFileSync(join(out, 'feed.atom'), 'utf8'));
  validateJsonFeed(readFileSync(join(out, 'feed.json'), 'utf8'));
  const { server, base } = await staticServer(out);
  const { page, problems } = await newPage(base);
  try {
    await page.goto(`${base}/index.html`);
    await page.getByTestId('rule-card').first().waitFor();
    await page.getByTestId('feed-search').fill('lsass sentinel');
    await page.waitForFunction(() => document.getElementById('rule-count')?.textContent === '1 rule');
    await page.getByTestId('rule-link').first().click();
    await page.getByTestId('rule-name').waitFor();
    assert.equal(await page.getByTestId('rule-name').textContent(), 'Suspicious LSASS access (Sentinel)');
    for (const title of [...SECTION_TITLES, 'Sources and Licences']) await page.getByRole('heading', { name: title, exact: true }).waitFor();
    assert.match(await page.getByTestId('original-source').textContent() ?? '', /^Original source: https:\/\/git\.example\.com\/community\/-\/blob\/[0-9a-f]{40}\/md\/lsass\.md$/);
    await shot(page, 'site-rule');
    await page.getByRole('link', { name: "What's new" }).click();
    await page.getByTestId('change-updated').first().waitFor();
    assert.ok((await page.getByTestId('rule-diff').first().textContent())!.includes('+ | where Count > 10'));
    await page.getByRole('link', { name: 'Coverage' }).click();
    assert.equal(await page.locator('[data-testid=technique-cell][data-technique=T1219]').getAttribute('data-covered'), 'true');
    assert.deepEqual(problems, []);
    // the same files opened straight from disk
    const local = await browser!.newPage();
    try {
      await local.goto(pathToFileURL(join(out, 'index.html')).href);
      await local.getByTestId('feed-search').fill('beaconing');
      await local.waitForFunction(() => /^1 rule/.test(document.getElementById('rule-count')?.textContent ?? ''));
      await local.getByTestId('rule-link').first().click();
      await local.getByTestId('section-query').waitFor();
      assert.match(local.url(), /^file:\/\/.*\/rules\/11111111-2222-3333-4444-555555555555\.html$/);
    } finally {
      await local.close();
    }
  } finally {
    await page.close();
    server.close();
  }
});
