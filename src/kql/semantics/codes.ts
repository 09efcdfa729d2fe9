/** Stable codes of semantic diagnostics (KQL2xxx). Never renumber. */
export const SEMANTIC = {
  unknownColumn: 'KQL2001',
  unknownTable: 'KQL2002',
  unknownFunction: 'KQL2003',
  wrongArity: 'KQL2004',
  aggregateOutsideSummarize: 'KQL2005',
  unsupportedOperator: 'KQL2006',
  typeMismatch: 'KQL2007',
  joinWithoutKeys: 'KQL2008',
  notTabular: 'KQL2009',
  unsupportedPlugin: 'KQL2010',
  /** A join/lookup condition whose operands name the sides out of order (`$right.b == $left.a`, `$left.a == $left.b`). */
  joinKeySide: 'KQL2011',
  /** A graph used where a table is expected, or a graph operator given a table. */
  graphMisuse: 'KQL2020',
  /** A graph pattern or graph function used wrongly (unknown variable, edge reused, disconnected pattern). */
  graphPattern: 'KQL2021',
  /** A cross-service reference a local workspace cannot serve: Azure Resource Graph's `arg("").Table`. */
  crossService: 'KQL2030',
  /** A client directive line (`#name ...`) Kusto does not know, or one that names another cluster or database. */
  badDirective: 'KQL2031',
  badSchemaFile: 'KQL2100',
} as const;
