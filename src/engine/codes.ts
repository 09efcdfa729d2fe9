/**
 * Stable codes of execution diagnostics (KQL4xxx): a query that parsed and bound but could not finish.
 * Tests and users match on these; never renumber. README.md lists them for users.
 */
export const EXECUTION = {
  /** A value or input the operator cannot work with (bad datatable shape, range step 0, ...). */
  runtime: 'KQL4001',
  /** Cancelled by the caller (the web app's Cancel, a closed request). */
  cancelled: 'KQL4002',
  /** Ran past its time limit (`--timeout`, the server's query limit). */
  timeout: 'KQL4003',
  /** Needed more memory than its budget (`--memory-budget`, derived from the process's heap limit). */
  memory: 'KQL4004',
  /** An argument value a function refuses (an invalid regex, an unknown time zone). */
  badArgument: 'KQL4005',
  /** Nested deeper than the engine evaluates (a value or an expression); never a crash. */
  tooDeep: 'KQL4006',
  /** A workspace file the query needs is damaged or cannot be read (named, with what to do). */
  data: 'KQL4007',
  /** Something kqlite's engine does not implement, named. */
  unsupported: 'KQL4010',
  // KQL4020-KQL4024: externaldata (network not allowed, fetch failed, size cap, time cap, bad data), in external.ts
  /** The remote engine a query or a hunt's rule ran on failed (src/remote; its message names the remote). */
  remote: 'KQL4030',
  /** An internal inconsistency (a bug): the query ends with this instead of a wrong answer. */
  internal: 'KQL4099',
} as const;
