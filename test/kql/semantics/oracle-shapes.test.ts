// Small shapes of the classes the widened corpus (Azure-Sentinel's rules and hunting queries and others)
// showed, each compared live with Kusto.Language (syntax verdict, whether binding finds errors, and the
// result schema): they pin each fix to its class rather than to the corpus query that revealed it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareWithKusto } from '../../helpers/oracle.js';

function agree(shapes: string[]): void {
  const differing = shapes.flatMap((q) => compareWithKusto(q).differences.map((d) => `${q}\n  ${d}`));
  assert.deepEqual(differing, []);
}

test("a function's body that reads table(parameter) is bound for each call with a literal table name", () => {
  agree([
    'let f = (tableName:string) { table(tableName) | summarize First = min(TimeGenerated) by UserPrincipalName, Type }; union isfuzzy=true f("SigninLogs"), f("AADNonInteractiveUserSignInLogs")',
    'let f = (t:string) { table(t) | project TimeGenerated, UserPrincipalName }; let a = f("SigninLogs"); a | extend u = UserPrincipalName',
    'let f = (t:string, n:long) { table(t) | take n }; f("SigninLogs", 5) | project UserPrincipalName',
  ]);
});

test('project-rename with an expression after = parses, and binding refuses it', () => {
  agree(['SigninLogs | project-rename EventType = strcat(OperationName, "-"), X = AppDisplayName']);
});
