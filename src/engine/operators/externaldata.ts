/**
 * `externaldata (cols) [uri, ...] with (format=..., ignoreFirstRecord=..., ingestionMapping=...)`: each URI's
 * body from the query's ExternalDataSource (engine/external.ts), gunzipped when it is gzip, parsed in its
 * format (format/external-formats.ts; from the URL's extension when not given, else csv) and typed per the
 * declared columns the way the reference's ingestion does: empty text is null (an empty string for string
 * columns), values that do not convert are null, dynamic columns take JSON when the text is JSON.
 */
import type * as Zlib from 'node:zlib';
import { lazyPackage } from '../../common/lazy-package.js';
import type { ExternaldataExpr, ScalarTypeName } from '../../kql/syntax/ast.js';
import { EXTERNAL_DATA_CODES, shownUrl } from '../external.js';
import { EXTERNAL_FORMATS, FormatError, formatFromUrl, parseRecords, type Cells, type ColumnSource, type ExternalFormat } from '../format/external-formats.js';
import { jsonPathSteps } from '../functions/text-extra.js';
import { constantValue } from './util.js';
import type { Relation } from '../compile/relation.js';
import { buildColumn } from '../storage/builders.js';
import { fromDynamic } from '../values/from-dynamic.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import type { OpContext } from './context.js';

const zlib = lazyPackage<typeof Zlib>('node:zlib');

const KNOWN_PROPERTIES = new Set(['format', 'ignorefirstrecord', 'ingestionmapping']);

export function externaldata(e: ExternaldataExpr, cx: OpContext): Relation {
  const constant = (x: ExternaldataExpr['uris'][number], what: string): Value => constantValue(x, cx, `externaldata: ${what}`);
  const props = new Map<string, Value>();
  for (const p of e.properties) {
    const key = p.name.name.toLowerCase();
    if (!KNOWN_PROPERTIES.has(key)) cx.rt.warnings.push(`externaldata: the property '${p.name.name}' is not used by kqlite`);
    props.set(key, p.value.kind === 'NameRef' ? p.value.name : constant(p.value, `the property '${p.name.name}'`));
  }
  const ignoreFirst = props.get('ignorefirstrecord') === true || String(props.get('ignorefirstrecord')).toLowerCase() === 'true';
  const columns = e.columns.map((c) => ({ name: c.name.name, type: c.type }));
  const mapping = props.has('ingestionmapping') ? readMapping(String(props.get('ingestionmapping'))) : undefined;
  const source = cx.rt.externalData;
  const cells: Cells[] = [];
  for (const u of e.uris) {
    const uri = constant(u, 'the URI');
    if (typeof uri !== 'string') throw new QueryError('externaldata: a URI must be a string', 'KQL4005');
    const format = formatOf(props.get('format'), uri);
    if (!source) throw new QueryError(`externaldata needs the network to read ${shownUrl(uri)}, which this query was not allowed to use (kqlite query/hunt --allow-network, or "externalData": {"allowNetwork": true} in the workspace's config.json)`, EXTERNAL_DATA_CODES.networkOff);
    const got = source.read(uri, format);
    if (got.warning) cx.rt.warnings.push(got.warning);
    const text = decode(got.bytes, uri, source.maxBytes);
    let records: Cells[];
    try {
      records = parseRecords(text, format, columns, mapping);
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      throw new QueryError(`externaldata: ${shownUrl(uri)} is not ${format}: ${err.message}`, EXTERNAL_DATA_CODES.badData);
    }
    for (let i = ignoreFirst ? 1 : 0; i < records.length; i++) cells.push(records[i]!);
  }
  cx.rt.stats.rowsScanned += cells.length;
  return {
    columns: columns.map((c, j) => ({ name: c.name, column: buildColumn(c.type, cells.map((r) => typed(r[j], c.type))) })),
    length: cells.length,
  };
}

function formatOf(given: Value | undefined, uri: string): ExternalFormat {
  const name = (given === undefined || given === null ? (formatFromUrl(uri) ?? 'csv') : String(given)).toLowerCase();
  if ((EXTERNAL_FORMATS as readonly string[]).includes(name)) return name as ExternalFormat;
  throw new QueryError(`externaldata: the format '${name}' is not supported by kqlite (it reads ${EXTERNAL_FORMATS.join(', ')})`, 'KQL4010');
}

/** The text of a body: gunzipped when it starts with gzip's magic bytes (`.csv.gz`), UTF-8 decoded. */
function decode(bytes: Uint8Array, uri: string, maxBytes: number): string {
  let data = bytes;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = zlib().gunzipSync(data, { maxOutputLength: maxBytes });
    } catch (err) {
      const tooLarge = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new QueryError(tooLarge ? `externaldata: ${shownUrl(uri)} is larger than ${maxBytes} bytes once gunzipped` : `externaldata: ${shownUrl(uri)} is not valid gzip (${(err as Error).message})`, tooLarge ? EXTERNAL_DATA_CODES.tooLarge : EXTERNAL_DATA_CODES.badData);
    }
  }
  return new TextDecoder().decode(data);
}

/**
 * `ingestionMapping`: a JSON array of `{"Column": name, "Properties": {"Path": "$.a.b" | "Ordinal": "2" |
 * "ConstValue": "x"}}` (the older flat `{"column", "path"}` / `{"Name", "Ordinal"}` spellings too).
 */
function readMapping(text: string): Map<string, ColumnSource> {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (err) {
    throw new QueryError(`externaldata: ingestionMapping is not JSON (${(err as Error).message})`, EXTERNAL_DATA_CODES.badData);
  }
  if (!Array.isArray(list)) throw new QueryError('externaldata: ingestionMapping must be a JSON array of column mappings', EXTERNAL_DATA_CODES.badData);
  const out = new Map<string, ColumnSource>();
  for (const m of list as Record<string, unknown>[]) {
    const get = (o: unknown, k: string): unknown => (o && typeof o === 'object' ? Object.entries(o).find(([x]) => x.toLowerCase() === k.toLowerCase())?.[1] : undefined);
    const column = get(m, 'column') ?? get(m, 'name');
    const props = get(m, 'properties') ?? m;
    if (typeof column !== 'string') throw new QueryError(`externaldata: an ingestionMapping entry has no column name: ${JSON.stringify(m)}`, EXTERNAL_DATA_CODES.badData);
    const path = get(props, 'path');
    const ordinal = get(props, 'ordinal');
    const constValue = get(props, 'constvalue');
    if (typeof path === 'string') {
      const steps = jsonPathSteps(path);
      if (!steps) throw new QueryError(`externaldata: the mapping path '${path}' of column '${column}' is not a JSONPath kqlite reads ($, .name, ['name'], [n])`, EXTERNAL_DATA_CODES.badData);
      out.set(column, { path: steps });
    } else if (ordinal !== undefined && Number.isInteger(Number(ordinal))) out.set(column, { ordinal: Number(ordinal) });
    else if (constValue !== undefined) out.set(column, { constant: String(constValue) });
    else throw new QueryError(`externaldata: the mapping of column '${column}' has no Path, Ordinal or ConstValue`, EXTERNAL_DATA_CODES.badData);
  }
  return out;
}

/** A cell as a value of its column's type. */
function typed(cell: DynamicValue | undefined, type: ScalarTypeName): Value {
  if (cell === undefined || cell === null) return type === 'string' ? '' : null;
  if (type === 'dynamic') {
    if (typeof cell !== 'string') return cell;
    const t = cell.trim();
    if (t === '') return null;
    if (/^[[{"\d-]|^(true|false|null)$/.test(t)) {
      try {
        return JSON.parse(t) as DynamicValue;
      } catch {
        return cell;
      }
    }
    return cell;
  }
  if (type === 'string') return typeof cell === 'string' ? cell : JSON.stringify(cell);
  if (typeof cell === 'string' && cell.trim() === '') return null;
  return fromDynamic(typeof cell === 'string' ? cell.trim() : cell, type);
}
