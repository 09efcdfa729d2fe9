/**
 * Parser files: ASIM parsers (`ParserName`, `EquivalentBuiltInParser`, `ParserParams`, `ParserQuery`) and
 * solution functions (`FunctionName`/`FunctionAlias`, `FunctionParams`, `FunctionQuery`) → stored function
 * definitions under every name they are deployed as. Undefined when the fields are not a parser file.
 */
import type { LibraryFunctionDef } from '../../kql/semantics/index.js';

function paramsOf(raw: unknown): LibraryFunctionDef['params'] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p) => {
    if (!p || typeof p !== 'object') return [];
    const o = p as Record<string, unknown>;
    const name = o['Name'] ?? o['name'];
    if (typeof name !== 'string') return [];
    const type = String(o['Type'] ?? o['type'] ?? 'string');
    const def = o['Default'] ?? o['default'];
    const dflt = def === undefined || def === null ? undefined : typeof def === 'string' ? (/^(datetime|dynamic|timespan|int|long|real|bool|guid)\(/.test(def) || /^'.*'$/.test(def) || /^".*"$/.test(def) ? def : type === 'string' ? `'${def.replace(/'/g, "\\'")}'` : def) : String(def);
    return [{ name, type, ...(dflt !== undefined ? { default: dflt } : {}) }];
  });
}

export function functionsOfParserYaml(f: Record<string, unknown>, origin: string): LibraryFunctionDef[] | undefined {
  const body = f['ParserQuery'] ?? f['FunctionQuery'];
  if (typeof body !== 'string') return undefined;
  const names = [f['ParserName'], f['EquivalentBuiltInParser'], f['FunctionName'], f['FunctionAlias']].filter((n): n is string => typeof n === 'string' && /^[A-Za-z_]\w*$/.test(n.trim())).map((n) => n.trim());
  if (!names.length || !body.trim()) return [];
  return [{ names: [...new Set(names)], params: paramsOf(f['ParserParams'] ?? f['FunctionParams']), body, origin }];
}
