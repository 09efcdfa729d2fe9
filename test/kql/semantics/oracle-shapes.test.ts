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

test('project-reorder of a column the input lacks is an error', () => {
  agree(['AuditLogs | project-reorder TimeGenerated, TenantId', 'AuditLogs | project-reorder TimeGenerated asc, Id desc, Category*']);
});

test('union isfuzzy=true binds without error even when none of its tables exist (the run fails, naming them)', () => {
  agree([
    'union isfuzzy=true (Nope_CL | where isnotempty(a_s)), (Nope2 | take 1)',
    'SigninLogs | join kind=inner (union isfuzzy=true (Nope_CL | where isnotempty(a_s) | project UserPrincipalName = a_s)) on UserPrincipalName',
    'union isfuzzy=true (SigninLogs | where isnotempty(a_s)), (AuditLogs | take 1)',
  ]);
});

test("array_strcat is strcat_array's deprecated name", () => {
  agree(['print s = array_strcat(dynamic(["a", "b"]), "-")']);
});

test('ipv4_lookup: the input columns, then the lookup table less the extra keys', () => {
  agree([
    'let L = datatable(network:string, name:string)[]; datatable(ip:string, x:long)[] | evaluate ipv4_lookup(L, ip, network, return_unmatched = true) | project name, x',
    'let L = datatable(network:string, name:string, k:string)[]; datatable(ip:string, x:long, k:string)[] | evaluate ipv4_lookup(L, ip, network, k)',
    'let IP_Data = externaldata(network:string)[@"https://example.com/vps.csv"] with (format="csv"); SigninLogs | evaluate ipv4_lookup(IP_Data, IPAddress, network, return_unmatched = false) | summarize StartTime = min(TimeGenerated) by IPAddress, UserPrincipalName, TenantId',
  ]);
});

test("arg_max(x, *) leaves out the columns the keys are; a key computed from a column keeps the input's, suffixed", () => {
  agree([
    'datatable(a:long, t:datetime, b:string)[] | summarize arg_min(t, *) by bin(a, 10)',
    'datatable(a:string, t:datetime, b:string)[] | summarize arg_min(t, *) by x = a',
    'datatable(a:dynamic, t:datetime, b:string)[] | summarize arg_max(t, *) by tostring(a)',
    'datatable(a:string, t:datetime, b:string)[] | summarize arg_min(t, *) by tostring(a)',
    'datatable(a:string, t:datetime, b:string)[] | summarize arg_min(t, *) by a = b',
    'DeviceProcessEvents | summarize arg_max(Timestamp, *) by DeviceId, bin(Timestamp, 1d)',
  ]);
});

test('mv-apply: a bare column item is expanded in place, a named one (x = x, y = x) keeps its source column', () => {
  agree([
    'datatable(a:string, x:dynamic)[] | mv-apply x on (summarize c = count())',
    'datatable(a:string, x:dynamic)[] | mv-apply x = x on (summarize c = count())',
    'datatable(a:string, x:dynamic)[] | mv-apply y = x on (summarize c = count())',
    'datatable(a:string, x:dynamic)[] | mv-apply x = x to typeof(long) on (order by x | summarize c = count())',
    'datatable(a:string, x:dynamic)[] | mv-apply x = x on (take 1)',
  ]);
});

test('union isfuzzy=true passes over a leg that calls an undefined (ASIM parser) function, not over an unknown scalar call', () => {
  agree([
    'union isfuzzy=true (imDns(domain_has_any=dynamic(["a"])) | extend x = DnsQuery), (print a = 1)',
    'union isfuzzy=true (print a = 1 | where nofunc(a)), (print b = 1)',
    'union (imDns(domain_has_any=dynamic(["a"])) | extend x = DnsQuery), (print a = 1)',
    'union isfuzzy=true (imFileEvent | where TargetFileName has "x"), (print a = 1)',
  ]);
});

test("join/lookup: a right column named like a left one takes the first suffix neither side uses (the right's own t1 stays t1)", () => {
  agree([
    'datatable(t:datetime, x:long)[] | join (datatable(t:datetime, t1:datetime, t2:datetime, y:long)[]) on t',
    'datatable(t:datetime, t1:datetime, x:long)[] | join (datatable(t:datetime, t1:datetime, y:long)[]) on t',
    'datatable(t:datetime, x:long)[] | join kind=inner (datatable(t1:datetime, t:datetime, y:long)[]) on t',
    'datatable(t:datetime, x:long)[] | lookup (datatable(k:long, t:datetime, t1:datetime, y:long)[]) on $left.x == $right.k',
    'DeviceProcessEvents | join (DeviceNetworkEvents | project DeviceId, Timestamp) on DeviceId | join (DeviceFileEvents | project DeviceId, Timestamp) on DeviceId',
  ]);
});
