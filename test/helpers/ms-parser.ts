// Microsoft's own KQL parser (Kusto.Language, Bridge.NET build; dev dependency for tests only), as the
// reference for syntax accept/reject.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let kusto: any;

function load(): any {
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

/** Syntax errors Microsoft's parser reports for a query (no binding: no schemas are loaded). */
export function msSyntaxErrors(text: string): MsDiagnostic[] {
  const K = load();
  const code = K.Language.KustoCode.Parse(text);
  const d = code.GetDiagnostics();
  const out: MsDiagnostic[] = [];
  for (let i = 0; i < d.Count; i++) {
    const x = d.getItem(i);
    if (String(x.Severity) === 'Error') out.push({ code: x.Code, message: x.Message, start: x.Start, length: x.Length });
  }
  return out;
}
