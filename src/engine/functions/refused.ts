/**
 * Functions kqlite's binder knows (Kusto.Language lists them) that the engine refuses, each with why: a
 * query reaching one ends with KQL4010 naming it and the reason. Mirrored in README.md ("Refused by name");
 * test/engine/refused-functions.test.ts checks that every other Kusto.Language function with a signature runs.
 */
export const REFUSED_FUNCTIONS: Readonly<Record<string, string>> = {
  current_cluster_endpoint: 'it returns the DNS name of the Kusto cluster being queried, and a local workspace is not a cluster (no endpoint to report)',
  cursor_after:
    "kqlite's database cursor (cursor_current()) names the workspace's commit, but rows do not keep the commit that added them through a compaction, so which rows came after a cursor cannot be told exactly",
  hash_combine: 'Kusto does not publish the function that combines the hash values, so kqlite cannot give its answer',
  hash_many: 'Kusto does not publish the function that combines the hash values, so kqlite cannot give its answer',
  series_periods_validate: 'Kusto does not publish how it scores a period, so kqlite cannot give its answer',
};

/** The KQL4010 message for a function the engine does not run. */
export function refusedFunctionMessage(name: string): string {
  const why = REFUSED_FUNCTIONS[name.toLowerCase()];
  return why ? `the function '${name}' is not supported by kqlite: ${why}` : `the function '${name}' is not supported by kqlite's engine yet`;
}
