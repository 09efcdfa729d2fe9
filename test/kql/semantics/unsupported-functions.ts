// The Kusto.Language function and aggregate names kqlite has no signature for, each with why. Mirrored in
// README.md ("What KQL is supported"). The engine refuses them by name (KQL4010), the binder by KQL2003.
export const UNSUPPORTED_FUNCTIONS: Record<string, string> = {
  // graph-match / graph-shortest-paths functions: bound by kql/semantics/bind-graph.ts inside those operators only
  all: 'graph function (inside graph-match)',
  current_node_id: 'graph function (inside graph-match)',
  inner_nodes: 'graph function (inside graph-match)',
  labels: 'graph function (inside graph-match)',
  map: 'graph function (inside graph-match)',
  node_degree_in: 'graph function (inside graph-match)',
  node_degree_out: 'graph function (inside graph-match)',
  node_id: 'graph function (inside graph-match)',
  // tabular references to server-side objects a local workspace does not have
  external_table: 'reads an external table of a Kusto database',
  materialized_view: 'reads a materialized view of a Kusto database',
  stored_query_result: 'reads a stored query result of a Kusto database',
  entity_group: 'cross-cluster entity groups need a Kusto cluster',
  graph: 'reads a persistent graph model (snapshots in a Kusto database)',
  cursor_before_or_at: 'database cursors need a Kusto database',
  rowstore_ordinal_range: 'row-store ordinals need a Kusto database',
  row_id: 'internal row ids of a Kusto extent',
  datetime_list_timezones: "the service's own list of time zone names (its time zone database); kqlite's, Node's Intl, is another list",
  iscolumnexists: 'not in the KQL reference: no page says what it computes',
  hll_isvalid: 'not in the KQL reference: no page says what it computes',
  tdigest_isvalid: 'not in the KQL reference: no page says what it computes',
  set_equals: 'not in the KQL reference: no page says what it computes (order, duplicates, types)',
  passthrough: 'internal aggregate of Kusto.Language',
};
