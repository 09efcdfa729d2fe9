// kqlite's front end against Kusto.Language on one query: syntax verdict, result schema of the last
// statement (names, order, types) and whether binding finds errors.
import { parse } from '../../src/kql/syntax/index.js';
import { bind, defaultCatalog, type Catalog } from '../../src/kql/semantics/index.js';
import { msAnalyze, type MsAnalysis } from './ms-parser.js';

export interface OracleComparison {
  /** What differs, one line each; empty when the two agree. */
  differences: string[];
  kustoSyntaxError: boolean;
  kustoSemanticErrors: string[];
  oursSemanticErrors: string[];
}

const fmt = (cols: { name: string; type: string }[] | undefined) => (cols ? cols.map((c) => `${c.name}:${c.type}`).join(', ') : '(no table)');

export function compareWithKusto(
  text: string,
  catalog: Catalog = defaultCatalog(),
  analyse: (text: string, catalog: Catalog) => MsAnalysis = msAnalyze,
): OracleComparison {
  const ms = analyse(text, catalog);
  const { script, diagnostics } = parse(text);
  const oursSyntax = diagnostics.some((d) => d.severity === 'error' && d.code !== 'KQL1007');
  const differences: string[] = [];
  const kustoSyntax = ms.syntaxErrors.length > 0;
  if (oursSyntax !== kustoSyntax) {
    differences.push(`syntax: kqlite ${oursSyntax ? 'rejects' : 'accepts'} (${diagnostics.map((d) => d.message).join('; ')}), Kusto ${kustoSyntax ? 'rejects' : 'accepts'} (${ms.syntaxErrors.map((d) => d.message).join('; ')})`);
  }
  const bound = bind(script, { catalog });
  const ours = bound.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
  const theirs = ms.semanticErrors.map((d) => `${d.code} ${d.message}`);
  if (!kustoSyntax && !oursSyntax) {
    if ((ours.length > 0) !== (theirs.length > 0)) differences.push(`binding: kqlite [${ours.join('; ')}], Kusto [${theirs.join('; ')}]`);
    const last = bound.resultSchemas[bound.resultSchemas.length - 1];
    if (!theirs.length && !ours.length && ms.columns && last && !last.open) {
      const o = fmt(last.columns.map((c) => ({ name: c.name, type: c.type })));
      const k = fmt(ms.columns);
      if (o !== k) differences.push(`schema:\n    kqlite ${o}\n    Kusto  ${k}`);
    }
  }
  return { differences, kustoSyntaxError: kustoSyntax, kustoSemanticErrors: theirs, oursSemanticErrors: ours };
}
