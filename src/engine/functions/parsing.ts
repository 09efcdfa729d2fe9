/**
 * Parsers hunters run over URLs, paths, command lines, CSV records and version strings: parse_url,
 * parse_urlquery, parse_path, parse_csv, parse_command_line, parse_version.
 */
import type { DynamicValue, Value } from '../values/value.js';
import { QueryError } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';
import { setOwn } from '../../common/own-keys.js';

const text = (v: Value): string => (typeof v === 'string' ? v : v === null ? '' : String(v));

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** `k1=v1&k2=v2` → {k1: v1, k2: v2}; values are URL-decoded, a key without '=' gets "". */
function queryParameters(query: string): Record<string, DynamicValue> {
  const out: Record<string, DynamicValue> = {};
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    setOwn(out, key, eq < 0 ? '' : decodeComponent(part.slice(eq + 1)));
  }
  return out;
}

const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/**
 * parse_url: the parts of an absolute URL (scheme://user:password@host:port/path?query#fragment). The Path
 * keeps its leading '/', as the .NET Uri's AbsolutePath that Kusto reports does. Not an absolute URL → null.
 */
function parseUrl(v: Value): Value {
  const m = URL_SHAPE.exec(text(v).trim());
  if (!m) return null;
  return {
    Scheme: m[1]!,
    Host: m[4]!,
    Port: m[5] ?? '',
    Path: m[6]!,
    Username: m[2] ?? '',
    Password: m[3] ?? '',
    'Query Parameters': queryParameters(m[7] ?? ''),
    Fragment: m[8] ?? '',
  };
}

/**
 * parse_path: scheme, root (drive letter), directory path and name, file name, extension and an NTFS
 * alternate data stream (`file.txt:stream`). Both '\' and '/' separate directories.
 */
function parsePath(v: Value): Value {
  let s = text(v);
  let scheme = '';
  const sm = /^([A-Za-z][A-Za-z0-9+.-]+):\/\//.exec(s);
  if (sm) {
    scheme = sm[1]!;
    s = s.slice(sm[0].length);
  }
  const root = /^[A-Za-z]:/.exec(s)?.[0] ?? '';
  const sep = Math.max(s.lastIndexOf('\\'), s.lastIndexOf('/'));
  const dir = sep < 0 ? '' : s.slice(0, sep);
  let file = s.slice(sep + 1);
  let stream = '';
  const colon = file.indexOf(':');
  if (colon >= 0 && !(sep < 0 && root && colon === 1)) {
    stream = file.slice(colon + 1);
    file = file.slice(0, colon);
  }
  const dirSep = Math.max(dir.lastIndexOf('\\'), dir.lastIndexOf('/'));
  const dirName = dir.slice(dirSep + 1);
  const dot = file.lastIndexOf('.');
  return {
    Scheme: scheme,
    RootPath: root,
    DirectoryPath: dir,
    DirectoryName: dirName === root ? '' : dirName,
    Filename: file,
    Extension: dot < 0 ? '' : file.slice(dot + 1),
    AlternateDataStreamName: stream,
  };
}

/** parse_csv: the fields of the first CSV record (RFC 4180 quoting, "" is a quote inside quotes). */
function parseCsv(v: Value): Value {
  const s = text(v);
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(cur); cur = ''; }
    else if (c === '\n' || c === '\r') break;
    else cur += c;
  }
  fields.push(cur);
  return fields;
}

/**
 * parse_command_line(cmd, "windows"): the rules of CommandLineToArgvW. The program name ends at the first
 * blank outside quotes and takes quotes literally otherwise; later arguments treat 2n backslashes before a
 * quote as n backslashes, 2n+1 as n and a literal quote, and "" inside quotes as a quote.
 */
function parseCommandLine(v: Value, kind: Value): Value {
  if (typeof kind !== 'string' || kind.toLowerCase() !== 'windows') throw new QueryError(`parse_command_line: unknown parser '${text(kind)}' (only "windows" exists)`);
  const s = text(v);
  const args: string[] = [];
  let i = 0;
  // the program name
  let prog = '';
  let quoted = false;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) break;
    else prog += c;
  }
  if (s.length) args.push(prog);
  for (;;) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= s.length) break;
    let arg = '';
    quoted = false;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\\') {
        let n = 0;
        while (s[i] === '\\') { n++; i++; }
        if (s[i] === '"') {
          arg += '\\'.repeat(n >> 1);
          if (n % 2) { arg += '"'; continue; }
          i--; // let the quote toggle below
          continue;
        }
        arg += '\\'.repeat(n);
        i--;
        continue;
      }
      if (c === '"') {
        if (quoted && s[i + 1] === '"') { arg += '"'; i++; continue; }
        quoted = !quoted;
        continue;
      }
      if (!quoted && (c === ' ' || c === '\t')) break;
      arg += c;
    }
    args.push(arg);
  }
  return args;
}

/**
 * parse_version: one to four dot-separated parts of up to 8 digits each, missing parts are 0; the value is
 * the parts written as 8-digit groups (1.2.3.4 → 1 00000002 00000003 00000004), so versions compare by value.
 * Doubles hold it, so parts below the major/minor pair lose precision beyond 15-16 significant digits.
 */
function parseVersion(v: Value): Value {
  const m = /^\s*(\d{1,8})(?:\.(\d{1,8}))?(?:\.(\d{1,8}))?(?:\.(\d{1,8}))?\s*$/.exec(text(v));
  if (!m) return null;
  let out = 0;
  for (let k = 1; k <= 4; k++) out = out * 1e8 + Number(m[k] ?? 0);
  return out;
}

export const PARSING_FUNCTIONS: ScalarFunction[] = [
  fn('parse_url', 1, 1, ([v]) => parseUrl(v)),
  fn('parse_urlquery', 1, 1, ([v]) => {
    const q = text(v);
    return { 'Query Parameters': queryParameters(q.startsWith('?') ? q.slice(1) : q) };
  }),
  fn('parse_path', 1, 1, ([v]) => parsePath(v)),
  fn('parse_csv', 1, 1, ([v]) => parseCsv(v)),
  fn('parse_command_line', 2, 2, ([v, kind]) => parseCommandLine(v, kind)),
  fn('parse_version', 1, 1, ([v]) => parseVersion(v)),
];
