/**
 * LINT030 and LINT031: columns the rule's alert configuration names but the query's result does not have.
 * Sentinel refuses to save a rule whose entity mapping names a missing column (LINT030, an error); custom
 * details and `{{Column}}` placeholders in alertDetailsOverride that name one come out empty (LINT031). The
 * result schema is the binder's, so renames, projections and summarize outputs are followed exactly; an
 * open schema (plugins, bag_unpack) is never reported.
 */
import type { TableSchema } from '../../kql/semantics/index.js';
import { LINT } from './codes.js';
import type { LintContext } from './context.js';

function resultSchema(ctx: LintContext): TableSchema | undefined {
  const schemas = ctx.bound.resultSchemas;
  return schemas[schemas.length - 1];
}

function missingMessage(schema: TableSchema, column: string): string {
  const near = schema.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
  return near ? `; did you mean '${near.name}'? (column names are case-sensitive)` : `; the result has ${schema.columns.slice(0, 8).map((c) => c.name).join(', ')}${schema.columns.length > 8 ? ', ...' : ''}`;
}

export function checkOutputColumns(ctx: LintContext): void {
  const f = ctx.fields;
  if (!f || ctx.input.check.diagnostics.some((d) => d.severity === 'error')) return;
  const schema = resultSchema(ctx);
  if (!schema || schema.open) return;
  const has = (c: string) => schema.columns.some((x) => x.name === c);
  const mappings = Array.isArray(f['entityMappings']) ? f['entityMappings'] : [];
  const reported = new Set<string>();
  for (const m of mappings) {
    const entity = (m as { entityType?: unknown })?.entityType;
    const fms = (m as { fieldMappings?: unknown })?.fieldMappings;
    for (const fm of Array.isArray(fms) ? fms : []) {
      const column = (fm as { columnName?: unknown })?.columnName;
      if (typeof column !== 'string' || has(column) || reported.has(column)) continue;
      reported.add(column);
      ctx.field(LINT.entityColumnNotInOutput, `the ${String(entity ?? 'entity')} mapping (${String((fm as { identifier?: unknown }).identifier ?? '?')}) names column '${column}', which the query does not output${missingMessage(schema, column)}`, 'entityMappings', column);
    }
  }
  const details = f['customDetails'];
  if (details && typeof details === 'object' && !Array.isArray(details)) {
    for (const [key, column] of Object.entries(details as Record<string, unknown>)) {
      if (typeof column !== 'string' || has(column)) continue;
      ctx.field(LINT.detailColumnNotInOutput, `custom detail '${key}' names column '${column}', which the query does not output${missingMessage(schema, column)}`, 'customDetails', column);
    }
  }
  const override = f['alertDetailsOverride'];
  if (override && typeof override === 'object' && !Array.isArray(override)) {
    for (const [key, value] of Object.entries(override as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      for (const m of value.matchAll(/\{\{\s*([^{}\s]+)\s*\}\}/g)) {
        const column = m[1]!;
        if (has(column)) continue;
        ctx.field(LINT.detailColumnNotInOutput, `alertDetailsOverride ${key} shows {{${column}}}, a column the query does not output${missingMessage(schema, column)}`, 'alertDetailsOverride', column);
      }
    }
  }
}
