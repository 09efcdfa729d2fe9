// A function whose body reads table(parameter), called with a literal table name: the binder binds the body
// again for that call (its columns get the table's types, as Kusto.Language has them), and the engine runs
// the body with that call's binding, so what it writes matches what the binder promised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCorpusQuery } from '../helpers/corpus-run.js';

test('table(parameter) in a function body: the engine writes the columns and types the binder gives the call', () => {
  const queries = [
    'let f = (tableName:string) { table(tableName) | where ResultType == "0" | summarize First = min(TimeGenerated), n = count() by UserPrincipalName, Type | extend ts = First }; union isfuzzy=true f("SigninLogs"), f("AADNonInteractiveUserSignInLogs")',
    'let f = (t:string) { table(t) | project TimeGenerated, UserPrincipalName | take 3 }; f("SigninLogs") | extend u = strlen(UserPrincipalName)',
  ];
  for (const [i, query] of queries.entries()) {
    const o = runCorpusQuery({ id: `q${i}`, query } as Parameters<typeof runCorpusQuery>[0], { layouts: true });
    assert.equal(o.kind, 'ran', `${query}: ${o.code} ${o.message}`);
    assert.equal(o.schemaMismatch, undefined, query);
    assert.equal(o.layoutMismatch, undefined, query);
  }
});
