// kqlite serve as a Kusto endpoint, driven by Microsoft's own client (azure-kusto-data): queries over v2 and
// v1 with every scalar type, management commands, request properties, query parameters, errors in Kusto's
// shape; and the raw JSON, read without the SDK, carrying values exactly as Kusto writes them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, ClientRequestProperties, KustoConnectionStringBuilder } from 'azure-kusto-data';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { serveCli, type ServedCli } from '../helpers/cli.js';

let root: string;
let server: ServedCli;
let client: Client;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-kusto-'));
  createDemoWorkspace(join(root, 'ws'), { devices: 8, days: 2 });
  server = await serveCli(['serve', '--workspace', join(root, 'ws'), '--port', '0']);
  client = new Client(new KustoConnectionStringBuilder(server.url));
});
after(async () => {
  client.close();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

const ALL_TYPES = `print b=true, i=toint(-7), l=tolong(1234567890123), r=2.5, d=decimal(1.25), s="text", dt=datetime(2024-05-06 07:08:09.1234567),
  ts=time(1.02:03:04.5), g=guid(1d1a3f60-d4c6-4e17-b9ea-3b1c0ea8fb41), dy=dynamic({"a":[1,"x",null]}), n=tolong(""), nr=real(nan)`;

test('azure-kusto-data reads every scalar type over v2, as Kusto types them', async () => {
  const r = await client.execute('kqlite', ALL_TYPES);
  const t = r.primaryResults[0]!;
  assert.deepEqual(t.columns.map((c) => [c.name, c.type]), [
    ['b', 'bool'], ['i', 'int'], ['l', 'long'], ['r', 'real'], ['d', 'decimal'], ['s', 'string'], ['dt', 'datetime'], ['ts', 'timespan'], ['g', 'guid'], ['dy', 'dynamic'], ['n', 'long'], ['nr', 'real'],
  ]);
  const row = [...t.rows()][0]!.toJSON() as Record<string, unknown>;
  assert.equal(row['b'], true);
  assert.equal(row['i'], -7);
  assert.equal(row['l'], 1234567890123);
  assert.equal(row['r'], 2.5);
  assert.equal(row['d'], '1.25');
  assert.equal(row['s'], 'text');
  assert.equal((row['dt'] as Date).toISOString(), '2024-05-06T07:08:09.123Z');
  assert.equal(row['ts'], ((26 * 60 + 3) * 60 + 4.5) * 1000);
  assert.equal(row['g'], '1d1a3f60-d4c6-4e17-b9ea-3b1c0ea8fb41');
  assert.deepEqual(row['dy'], { a: [1, 'x', null] });
  assert.equal(row['n'], null);
  assert.equal(row['nr'], 'NaN');
  // the status table says the query completed
  assert.equal(r.getErrorsCount().errors, 0);
});

test('v1 answers the same values with its table of contents; dynamics arrive as JSON text', async () => {
  const r = await client.executeQueryV1('kqlite', ALL_TYPES);
  assert.equal(r.primaryResults.length, 1);
  const row = [...r.primaryResults[0]!.rows()][0]!.toJSON() as Record<string, unknown>;
  assert.equal(row['l'], 1234567890123);
  assert.deepEqual(JSON.parse(row['dy'] as string), { a: [1, 'x', null] });
});

test('the raw answer carries datetimes with 7 digits, exact integers and Kusto frame structure', async () => {
  const res = await fetch(`${server.url}/v2/rest/query`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-ms-client-request-id': 'test;crid-1' },
    body: JSON.stringify({ db: 'kqlite', csl: 'print dt=datetime(2024-05-06 07:08:09.1234567), big=tolong(9007199254740993) - 1, t=1h' }),
  });
  assert.equal(res.headers.get('x-ms-client-request-id'), 'test;crid-1');
  assert.match(res.headers.get('x-ms-activity-id') ?? '', /^[0-9a-f-]{36}$/);
  const text = await res.text();
  assert.match(text, /"2024-05-06T07:08:09\.1234567Z"/);
  assert.match(text, /"01:00:00"/);
  assert.match(text, /,9007199254740992,"01:00:00"\]/);
  const frames = JSON.parse(text) as { FrameType: string; TableKind?: string }[];
  assert.deepEqual(frames.map((f) => f.FrameType + (f.TableKind ? ':' + f.TableKind : '')),
    ['DataSetHeader', 'DataTable:QueryProperties', 'DataTable:PrimaryResult', 'DataTable:QueryCompletionInformation', 'DataSetCompletion']);
});

test('management commands: version, databases, tables, schemas as JSON, functions', async () => {
  const rows = async (csl: string) => [...(await client.execute('kqlite', csl)).primaryResults[0]!.rows()].map((r) => r.toJSON() as Record<string, unknown>);
  assert.match(String((await rows('.show version'))[0]!['BuildVersion']), /^\d+\.\d+\.\d+$/);
  assert.deepEqual((await rows('.show databases')).map((r) => [r['DatabaseName'], r['IsCurrent']]), [['kqlite', true]]);
  const tables = (await rows('.show tables')).map((r) => r['TableName']);
  assert.ok(tables.includes('DeviceNetworkEvents') && tables.includes('DeviceProcessEvents'), String(tables));
  const schema = JSON.parse(String((await rows('.show table DeviceNetworkEvents schema as json'))[0]!['Schema'])) as { Name: string; OrderedColumns: { Name: string; CslType: string }[] };
  assert.equal(schema.Name, 'DeviceNetworkEvents');
  assert.deepEqual(schema.OrderedColumns.find((c) => c.Name === 'RemotePort'), { Name: 'RemotePort', Type: 'System.Int32', CslType: 'int' });
  const db = JSON.parse(String((await rows(".show database ['kqlite'] schema as json"))[0]!['DatabaseSchema'])) as { Databases: Record<string, { Tables: Record<string, unknown> }> };
  assert.ok(db.Databases['kqlite']!.Tables['DeviceNetworkEvents']);
  assert.deepEqual(await rows('.show functions'), []);
});

test('request properties: query_now binds now(), query parameters fill declare query_parameters, truncationmaxrecords reports the cut', async () => {
  const p = new ClientRequestProperties();
  p.setOption('query_now', '2021-03-04T05:06:07Z');
  p.setParameter('n', 3);
  p.setParameter('who', "o'brien");
  p.setParameter('since', 'datetime(2021-01-01)');
  const r = await client.execute('kqlite', 'declare query_parameters(n:long, who:string, since:datetime); range x from 1 to n step 1 | extend now=now(), who, age=now() - since', p);
  const rows = [...r.primaryResults[0]!.rows()].map((x) => x.toJSON() as Record<string, unknown>);
  assert.equal(rows.length, 3);
  assert.equal((rows[0]!['now'] as Date).toISOString(), '2021-03-04T05:06:07.000Z');
  assert.equal(rows[0]!['who'], "o'brien");
  // a parameter is a value, never query text
  const bad = new ClientRequestProperties();
  bad.setParameter('n', '1 | take 1');
  await assert.rejects(client.execute('kqlite', 'declare query_parameters(n:long); print n', bad), (e: Error & { response?: { data?: { error?: { message?: string } } } }) => /not a long literal/.test(e.response?.data?.error?.message ?? ''));
  const cut = new ClientRequestProperties();
  cut.setOption('truncationmaxrecords', 5);
  await assert.rejects(client.execute('kqlite', 'range x from 1 to 10 step 1', cut), /E_QUERY_RESULT_SET_TOO_LARGE/);
});

test('errors come back in Kusto\'s OneApiErrors shape: syntax, semantics, unknown database, unsupported commands', async () => {
  const error = async (db: string, csl: string) => {
    try {
      await client.execute(db, csl);
    } catch (e) {
      const err = e as Error & { response?: { status: number; data: { error: Record<string, unknown> } } };
      return { status: err.response!.status, ...err.response!.data.error };
    }
    assert.fail(`${csl} did not fail`);
  };
  const syntax = await error('kqlite', 'DeviceNetworkEvents | where');
  assert.equal(syntax.status, 400);
  assert.equal(syntax['code'], 'BadRequest_SyntaxError');
  assert.match(String(syntax['message']), /^Syntax error: /);
  const sem = await error('kqlite', 'DeviceNetworkEvents | where NoSuchColumn == 1');
  assert.equal(sem['code'], 'General_BadRequest');
  assert.match(String(sem['message']), /^Semantic error: .*NoSuchColumn/);
  assert.equal((sem['innererror'] as Record<string, unknown>)['@type'], 'Kusto.Data.Exceptions.SemanticException');
  const db = await error('Samples', 'print 1');
  assert.equal(db['code'], 'BadRequest_EntityNotFound');
  const cmd = await error('kqlite', '.drop table DeviceInfo');
  assert.match(String(cmd['message']), /does not run the management command '\.drop table DeviceInfo'/);
});

test('with a token the Kusto endpoints need it; azure-kusto-data sends it as a bearer token', async () => {
  const ws = join(root, 'ws');
  const s = await serveCli(['serve', '--workspace', ws, '--port', '0', '--token', 'kusto-token-0123456789']);
  try {
    const anonymous = new Client(new KustoConnectionStringBuilder(s.url));
    await assert.rejects(anonymous.execute('kqlite', 'print 1'), (e: Error & { response?: { status: number } }) => e.response?.status === 401);
    anonymous.close();
    const authed = new Client(KustoConnectionStringBuilder.withAccessToken(s.url, 'kusto-token-0123456789'));
    const r = await authed.execute('kqlite', 'print x=42');
    assert.equal([...r.primaryResults[0]!.rows()][0]!.toJSON()['x'], 42);
    authed.close();
  } finally {
    await s.stop();
  }
});
