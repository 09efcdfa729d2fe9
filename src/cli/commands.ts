/**
 * The command table. Each sub-command lives in `src/cli/<module>.ts` and exports
 * `run(args: string[]): Promise<number>` (the exit code). Modules load lazily so `kqlite check` does not
 * pull in the web server. To add a command: write its module and add one line here.
 */
export interface CommandEntry {
  module: string;
  summary: string;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  check: { module: 'check', summary: 'parse and type-check KQL files, Sentinel rule YAML, or stdin' },
  query: { module: 'query', summary: 'run a KQL query over the workspace (or over its own datatable/print/range data)' },
  ingest: { module: 'ingest', summary: 'load Defender / Sentinel exports into the workspace' },
  tables: { module: 'tables', summary: 'list the workspace tables: rows, time range, size, quarantined records' },
  quarantine: { module: 'quarantine', summary: 'show the records ingest set aside: file, line, table, reason' },
  compact: { module: 'compact', summary: 'merge runs of small extents of the workspace tables into large ones' },
  demo: { module: 'demo', summary: 'create a workspace of realistic synthetic telemetry with planted RMM abuse' },
  rules: { module: 'rules', summary: 'import, list, show and validate detection rules' },
  sources: { module: 'sources', summary: 'rule sources from git: add, list, remove, sync; what each sync changed' },
  watchlists: { module: 'watchlists', summary: "Sentinel watchlists from local CSV files, read by _GetWatchlist('name')" },
  site: { module: 'site', summary: 'build the feed, rule pages, coverage and what changed as a static site' },
  coverage: { module: 'coverage', summary: 'ATT&CK coverage of the rules; export an ATT&CK Navigator layer' },
  test: { module: 'test', summary: 'run the tests kept with detection rules (tests: in the rule YAML or <rule>.tests.yaml); CI formats' },
  hunt: { module: 'hunt', summary: 'run rules over the workspace at a reference time and record findings' },
  runs: { module: 'runs', summary: 'list past hunt runs: when, as of, by whom, what they found' },
  findings: { module: 'findings', summary: 'list, show and triage findings' },
  allow: { module: 'allow', summary: 'sanction an RMM tool or rule in a scope (suppression with a reason)' },
  inventory: { module: 'inventory', summary: 'RMM tools seen: where, by whom, since when, sanctioned or not' },
  remotes: { module: 'remotes', summary: 'save remote engines: Azure Data Explorer, Log Analytics (Sentinel), Defender XDR' },
  export: { module: 'export', summary: 'copy workspace tables into a Kusto database (Azure Data Explorer or kqlite serve)' },
  serve: { module: 'serve', summary: 'serve the web app and JSON API (127.0.0.1 by default)' },
  start: { module: 'start', summary: 'the main job: demo workspace if absent, hunt with the built-in rules, serve the UI' },
};
