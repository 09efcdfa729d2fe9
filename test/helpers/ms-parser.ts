// Microsoft's own KQL front end (Kusto.Language, Bridge.NET build; dev dependency for tests only), as the
// reference for syntax accept/reject and, with the same table schemas loaded, for binding: the result
// schema of a query and whether it has semantic errors.
import { createRequire } from 'node:module';
import type { Catalog, TableSchema } from '../../src/kql/semantics/index.js';

const require = createRequire(import.meta.url);
let kusto: any;

export function kustoLanguage(): any {
  if (!kusto) {
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    kusto = (globalThis as any).Kusto;
  }
  return kusto;
}

export interface MsDiagnostic {
  code: string;
  message: string;
  start: number;
  length: number;
}

function errors(list: any): MsDiagnostic[] {
  const out: MsDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const x = list.getItem(i);
    if (String(x.Severity) === 'Error') out.push({ code: x.Code, message: x.Message, start: x.Start, length: x.Length });
  }
  return out;
}

/** Syntax errors Microsoft's parser reports for a query (no binding: no schemas are loaded). */
export function msSyntaxErrors(text: string): MsDiagnostic[] {
  const K = kustoLanguage();
  return errors(K.Language.KustoCode.Parse(text).GetDiagnostics());
}

/**
 * Defender XDR's built-in advanced-hunting functions, which Kusto.Language's default globals do not know,
 * declared as the Defender portal documents them (defender-xdr/advanced-hunting-*-function.md): parameters
 * and result columns, written here from the reference pages rather than from kqlite's own tables, so the
 * oracle checks kqlite's binding of them. The bodies only give the result schema. FileProfile(x, y) adds its
 * columns to the input (`extend` keeps an input column of the same name in its place); SeenBy() adds SeenBy;
 * AssignedIPAddresses' NetworkAdapterType and ConnectedNetworks are DeviceNetworkInfo's (the page says int
 * but describes the adapter type's name and a JSON array of networks).
 */
const DEFENDER_FUNCTIONS: [name: string, parameters: string, body: string][] = [
  ['FileProfile', '(T:(*), x:string="SHA1", y:long=100)', `{ T | extend SHA1 = "", SHA256 = "", MD5 = "", FileSize = int(null), GlobalPrevalence = int(null),
    GlobalFirstSeen = datetime(null), GlobalLastSeen = datetime(null), Signer = "", Issuer = "", SignerHash = "", IsCertificateValid = bool(null),
    IsRootSignerMicrosoft = bool(null), SignatureState = "", IsExecutable = bool(null), ThreatName = "", Publisher = "", SoftwareName = "", ProfileAvailability = "" }`],
  ['SeenBy', '(T:(*))', '{ T | extend SeenBy = dynamic(null) }'],
  ['AssignedIPAddresses', '(x:string, y:datetime=datetime(null))', '{ datatable(Timestamp:datetime, IPAddress:string, IPType:string, NetworkAdapterType:string, ConnectedNetworks:dynamic)[] }'],
  ['DeviceFromIP', '(T:(IP:string), y:datetime=datetime(null))', '{ datatable(IP:string, DeviceId:string)[] }'],
];

/** Kusto.Language's global state with a database holding these tables and Defender's functions (cached per catalog). */
const globalsCache = new WeakMap<object, any>();
export function msGlobals(catalog: Catalog): any {
  let g = globalsCache.get(catalog);
  if (g) return g;
  const K = kustoLanguage();
  const S = K.Language.Symbols;
  const tables = [...catalog.tables.values()].map((t) => {
    const cols = t.columns.map((c) => new S.ColumnSymbol(c.name, S.ScalarTypes.GetSymbol(c.type), null, null, null, null));
    return new S.TableSymbol.$ctor4(t.name, cols);
  });
  const functions = DEFENDER_FUNCTIONS.map(([name, parameters, body]) => new S.FunctionSymbol.$ctor16(name, parameters, body, null));
  const db = new S.DatabaseSymbol.$ctor3('kqlite', null, (globalThis as any).System.Array.init([...tables, ...functions], S.Symbol), false);
  g = K.Language.GlobalState.Default.WithDatabase(db);
  globalsCache.set(catalog, g);
  return g;
}

export interface MsAnalysis {
  syntaxErrors: MsDiagnostic[];
  /** Errors from binding (everything that is not a syntax error). */
  semanticErrors: MsDiagnostic[];
  /** The columns of the last statement's tabular result; undefined when it is not a table. */
  columns?: { name: string; type: string }[];
}

/** `KustoCode.ParseAndAnalyze` against the catalog's tables. */
export function msAnalyze(text: string, catalog: Catalog): MsAnalysis {
  const K = kustoLanguage();
  const code = K.Language.KustoCode.ParseAndAnalyze(text, msGlobals(catalog));
  const syntaxErrors = errors(code.GetSyntaxDiagnostics());
  const syntaxKeys = new Set(syntaxErrors.map((d) => `${d.code}@${d.start}`));
  const semanticErrors = errors(code.GetDiagnostics()).filter((d) => !syntaxKeys.has(`${d.code}@${d.start}`));
  const rt = code.ResultType;
  let columns: MsAnalysis['columns'];
  if (rt && rt.Columns && String(rt.Kind) !== 'Error') {
    columns = [];
    for (let i = 0; i < rt.Columns.Count; i++) {
      const c = rt.Columns.getItem(i);
      columns.push({ name: c.Name, type: kustoTypeName(c.Type) });
    }
  }
  return { syntaxErrors, semanticErrors, ...(columns ? { columns } : {}) };
}

/** Kusto's type names, with the dynamic subtypes (array, bag) folded into `dynamic` as kqlite has them. */
function kustoTypeName(t: any): string {
  const n = String(t?.Name ?? 'unknown');
  return /^dynamic/.test(n) ? 'dynamic' : n === 'unknown' ? 'unknown' : n;
}

export type { TableSchema };
