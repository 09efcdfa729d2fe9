/**
 * The built-in RMM tool catalog (data/rmm-catalog.json; facts from the upstream RMM rules, MIT, and LOLRMM,
 * Apache-2.0; see data/NOTICE.md). Regenerate with scripts/build-rmm-catalog.ts.
 */
import catalogData from './data/rmm-catalog.json' with { type: 'json' };

export interface RmmTool {
  name: string;
  slug: string;
  website?: string;
  /** LOLRMM's category: 'RMM' (remote monitoring and management) or 'RAT' (remote administration tool). */
  category?: 'RMM' | 'RAT';
  /** LOLRMM's capability labels, lower-cased (e.g. 'remote control', 'file transfer'); few tools list them. */
  capabilities?: string[];
  domains: string[];
  processNames: string[];
  companyNames: string[];
  productNames: string[];
  signers: string[];
  installPaths: string[];
  upstream?: { folder: string; rules: Partial<Record<'netconn' | 'createproc' | 'filesig', { id: string; file: string }>> };
  lolrmm?: { file: string };
  sources: string[];
}

export const RMM_CATALOG: readonly RmmTool[] = (catalogData as { tools: RmmTool[] }).tools;
/** When the catalog facts were extracted from the upstream sources (the "retrieved" date of built-in rules). */
export const CATALOG_BUILT_AT: string = (catalogData as { builtAt?: string }).builtAt ?? 'unknown';

const bySquashed = new Map<string, RmmTool>();
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
for (const t of RMM_CATALOG) {
  bySquashed.set(squash(t.name), t);
  if (t.upstream) bySquashed.set(squash(t.upstream.folder), t);
}

export function findTool(name: string): RmmTool | undefined {
  return bySquashed.get(squash(name));
}

/** The catalog tool a rule name like "Remote Management and Monitoring tool - AnyDesk - Network Connection" is about. */
export function toolFromRuleName(name: string): RmmTool | undefined {
  const m = /tool\s*-\s*(.+?)\s*-\s*(network connection|create process|process creation|file signature)/i.exec(name);
  return m ? findTool(m[1]!) : undefined;
}

const toolsBySigner = new Map<string, RmmTool[]>();
for (const t of RMM_CATALOG) for (const s of t.signers) toolsBySigner.set(s.toLowerCase(), [...(toolsBySigner.get(s.toLowerCase()) ?? []), t]);

/** Other catalogued tools listed with the same code signer (vendor families, bundled components). */
export function otherToolsSignedBy(signer: string, tool: RmmTool): RmmTool[] {
  return (toolsBySigner.get(signer.toLowerCase()) ?? []).filter((t) => t !== tool);
}
