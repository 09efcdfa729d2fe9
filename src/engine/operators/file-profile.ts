/**
 * Defender's `invoke FileProfile(x, y)`: the input's rows with the file profile columns added
 * (kql/semantics/defender-functions.ts). kqlite has no Microsoft cloud to ask: profiles come from the
 * workspace table FileProfiles (ingest a CSV/JSON of profile columns with `--table FileProfiles`), matched
 * on SHA1 (for x = SHA1 or InitiatingProcessSHA1) or SHA256, case-insensitively; a column of the query's own
 * whose name ends in SHA1 or SHA256 is taken as that hash. As the reference says,
 * only the first y rows (1-1000, default 100; a larger y is taken as 1000, with a warning) with a file id are
 * looked up; ProfileAvailability is
 * "Available" when a profile was found, "Missing" when none was, and empty for rows not looked up.
 */
import type { InvokeOp } from '../../kql/syntax/ast.js';
import { FILE_PROFILE_COLUMNS, FILE_PROFILE_IDS, FILE_PROFILE_TABLE } from '../../kql/semantics/index.js';
import { constantValue } from './util.js';
import { materialize, type Relation } from '../compile/relation.js';
import { scanTable } from '../scan.js';
import { buildColumn, readCell } from '../storage/builders.js';
import { valueToDynamic } from '../values/format.js';
import { fromDynamic } from '../values/from-dynamic.js';
import { QueryError, type Value } from '../values/value.js';
import type { OpContext } from './context.js';

/** The reference's cap on y. */
const MAX_ENRICHED = 1000;

export function fileProfile(op: InvokeOp, input: Relation, cx: OpContext): Relation {
  const args = op.call.args.map((a) => (a.kind === 'NamedArg' ? a.value : a));
  const idName = args[0] ? (args[0].kind === 'NameRef' ? args[0].name : constantValue(args[0], cx, 'FileProfile: its arguments')) : 'SHA1';
  // the documented id columns, or a column the query named after one (`extend xSHA256 = SHA256`, as published queries do)
  const hashKind = typeof idName === 'string' ? (FILE_PROFILE_IDS[idName] ?? (/sha256$/i.test(idName) ? 'SHA256' : /sha1$/i.test(idName) ? 'SHA1' : undefined)) : undefined;
  if (typeof idName !== 'string' || !hashKind) throw new QueryError(`FileProfile: the file id column must be one of ${Object.keys(FILE_PROFILE_IDS).join(', ')} (or a column named after one, ending in SHA1 or SHA256), not ${JSON.stringify(idName)}`, 'KQL4005');
  const limitValue = args[1] ? constantValue(args[1], cx, 'FileProfile: its arguments') : 100;
  const limit = typeof limitValue === 'bigint' ? Number(limitValue) : limitValue;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new QueryError(`FileProfile: the number of records to enrich must be 1 to 1000, not ${String(limitValue)}`, 'KQL4005');
  // published hunting queries ask for more (FileProfile(SHA1, 10000)) and run: the documented cap applies
  if (limit > MAX_ENRICHED) cx.rt.warnings.push(`FileProfile: at most ${MAX_ENRICHED} records are enriched (${limit} asked for)`);
  const rel = materialize(input);
  const idCol = rel.columns.find((c) => c.name === idName)?.column;
  if (!idCol) throw new QueryError(`FileProfile: the input has no column '${idName}' to take file ids from`, 'KQL4005');
  const profiles = loadProfiles(cx, hashKind);
  const added = FILE_PROFILE_COLUMNS.filter((c) => !rel.columns.some((x) => x.name === c.name));
  const values = added.map(() => new Array<Value>(rel.length).fill(null));
  const availability = added.findIndex((c) => c.name === 'ProfileAvailability');
  let looked = 0;
  for (let r = 0; r < rel.length; r++) {
    const id = readCell(idCol, r);
    if (typeof id !== 'string' || id === '' || looked >= Math.min(limit, MAX_ENRICHED)) {
      if (availability >= 0) values[availability]![r] = '';
      continue;
    }
    looked++;
    const profile = profiles.get(id.toLowerCase());
    added.forEach((c, j) => {
      if (c.name === 'ProfileAvailability') values[j]![r] = profile ? 'Available' : 'Missing';
      else if (profile) values[j]![r] = profile.get(c.name) ?? null;
    });
  }
  return { columns: [...rel.columns, ...added.map((c, j) => ({ name: c.name, column: buildColumn(c.type, values[j]!) }))], length: rel.length };
}


/** The FileProfiles table's rows by lower-case hash, each as profile column → value of the documented type. */
function loadProfiles(cx: OpContext, key: 'SHA1' | 'SHA256'): Map<string, Map<string, Value>> {
  const out = new Map<string, Map<string, Value>>();
  if (!cx.rt.source?.schema(FILE_PROFILE_TABLE)) return out;
  const table = materialize(scanTable(cx.rt, FILE_PROFILE_TABLE));
  const keyCol = table.columns.find((c) => c.name.toLowerCase() === key.toLowerCase())?.column;
  if (!keyCol) return out;
  const cols = FILE_PROFILE_COLUMNS.flatMap((p) => {
    const c = table.columns.find((x) => x.name.toLowerCase() === p.name.toLowerCase());
    return c ? [{ name: p.name, type: p.type, column: c.column }] : [];
  });
  for (let r = 0; r < table.length; r++) {
    const k = readCell(keyCol, r);
    if (typeof k !== 'string' || k === '' || out.has(k.toLowerCase())) continue;
    const row = new Map<string, Value>();
    for (const c of cols) {
      const v = readCell(c.column, r);
      // a column stored under another type (an inferred schema) is converted to the documented one
      row.set(c.name, v === null || c.column.type === c.type || (c.type === 'int' && c.column.type === 'long') ? v : fromDynamic(valueToDynamic(v, c.column.type), c.type));
    }
    out.set(k.toLowerCase(), row);
  }
  return out;
}
