/**
 * `kqlite watchlists add NAME FILE [--search-key COLUMN]`, `watchlists list`, `watchlists remove NAME`:
 * Sentinel watchlists from local CSV files, read by rules through `_GetWatchlist('NAME')`.
 */
import { readFileSync } from 'node:fs';
import { readWatchlists, removeWatchlist, saveWatchlist, sources, watchlistFromCsv } from '../rules/index.js';
import { checkFormat, guarded, parseSubcommand, textTable, UsageError, workspaceDir, type SubCommand } from './shared.js';

const SUBS: Record<string, SubCommand> = {
  add: { positionals: ['<name>', '<file.csv>'], options: ['search-key'] },
  list: { positionals: [], options: ['format'] },
  remove: { positionals: ['<name>'], options: [] },
};

const HELP = `usage: kqlite watchlists add <name> <file.csv> [--search-key COLUMN]
       kqlite watchlists list [--format table|json]
       kqlite watchlists remove <name>`;

export async function run(args: string[]): Promise<number> {
  return guarded('watchlists', () => {
    const p = parseSubcommand('watchlists', args, { workspace: { type: 'string', short: 'w' }, format: { type: 'string' }, 'search-key': { type: 'string' } }, HELP, SUBS, 'list');
    if (!p) return 0;
    const sub = p.sub;
    const [name, file] = p.positionals;
    const ws = workspaceDir(p.values.workspace);
    switch (sub) {
      case 'add': {
        if (!name || !file) throw new UsageError(`watchlists add needs a name and a CSV file\n${HELP}`);
        let text: string;
        try { text = readFileSync(file, 'utf8'); } catch (e) { throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
        let w;
        try { w = watchlistFromCsv(name, text, p.values['search-key']); } catch (e) { throw new Error(`${file}: ${(e as Error).message}`); }
        saveWatchlist(ws, w);
        sources.bumpGeneration(ws);
        process.stdout.write(`watchlist '${name}': ${w.rows.length} rows, columns ${w.columns.join(', ')} (SearchKey ${w.searchKey}); read with _GetWatchlist('${name}')\n`);
        return 0;
      }
      case 'list': {
        const lists = readWatchlists(ws);
        if (checkFormat(p.values.format, ['table', 'json']) === 'json') process.stdout.write(JSON.stringify(lists.map(({ rows, ...w }) => ({ ...w, rows: rows.length })), null, 1) + '\n');
        else process.stdout.write(textTable(['name', 'rows', 'search key', 'columns'], lists.map((w) => [w.name, w.rows.length, w.searchKey, w.columns.join(', ')])));
        return 0;
      }
      case 'remove': {
        if (!name) throw new UsageError(`watchlists remove needs a name\n${HELP}`);
        if (!removeWatchlist(ws, name)) throw new Error(`no watchlist '${name}'`);
        sources.bumpGeneration(ws);
        process.stdout.write(`removed watchlist '${name}'\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown sub-command '${sub}'\n${HELP}`);
    }
  });
}
