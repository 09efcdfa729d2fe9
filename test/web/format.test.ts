// Display formatting of API values in the web app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCell, formatDuration, formatTime, parseUtcText, renderedWithText, toUtcText } from '../../src/web/format.js';

test('times are shown in UTC, fractions only where asked', () => {
  assert.equal(formatTime('2026-11-19T17:58:56.4280000Z'), '2026-11-19 17:58:56Z');
  assert.equal(formatTime('2026-11-19T17:58:56.4280000Z', true), '2026-11-19 17:58:56.4280000Z');
  assert.equal(formatTime('2026-11-19T17:58:56.000Z', true), '2026-11-19 17:58:56Z');
  assert.equal(formatTime(undefined), '');
  assert.equal(formatTime('yesterday'), 'yesterday');
});

test('cells as the REST v2 encoding sends them', () => {
  assert.equal(formatCell(null, 'string'), '');
  assert.equal(formatCell({ a: [1, 2] }, 'dynamic'), '{"a":[1,2]}');
  assert.equal(formatCell('2026-01-02T03:04:05.5Z', 'datetime'), '2026-01-02 03:04:05.5Z');
  assert.equal(formatCell(0.1 + 0.2, 'real'), '0.3');
  assert.equal(formatCell(true, 'bool'), 'true');
  assert.equal(formatCell('9007199254740993', 'long'), '9007199254740993');
});

test('durations', () => {
  assert.equal(formatDuration(12.4), '12 ms');
  assert.equal(formatDuration(1500), '1.50 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
});

test('UTC time fields: ISO 8601 text to ISO and back, with a reason when it is not a time', () => {
  assert.equal(toUtcText('2026-11-19T17:58:56.000Z'), '2026-11-19T17:58:56Z');
  assert.equal(toUtcText('2026-11-19T17:58:56.4280000Z'), '2026-11-19T17:58:56.428Z');
  assert.equal(toUtcText(undefined), '');
  const iso = (t: string) => { const r = parseUtcText(t); assert.ok(r.ok, `${t}: ${r.ok ? '' : r.error}`); return r.iso; };
  assert.equal(iso('2026-11-19T17:58:56Z'), '2026-11-19T17:58:56.000Z');
  assert.equal(iso(' 2026-11-19 17:58:56 '), '2026-11-19T17:58:56.000Z', 'a space for T, no zone: read as UTC');
  assert.equal(iso('2026-11-19t17:58z'), '2026-11-19T17:58:00.000Z');
  assert.equal(iso('2026-11-19'), '2026-11-19T00:00:00.000Z');
  assert.equal(iso('2026-11-19T17:58:56.12345Z'), '2026-11-19T17:58:56.123Z');
  assert.equal(iso('2026-11-19T17:58:56+01:00'), '2026-11-19T16:58:56.000Z', 'an offset is converted to UTC');
  assert.equal(iso('2026-01-01T00:30:00-0100'), '2026-01-01T01:30:00.000Z');
  assert.equal(iso('2024-02-29T00:00:00Z'), '2024-02-29T00:00:00.000Z');
  assert.equal(iso('0050-06-01T00:00:00Z'), '0050-06-01T00:00:00.000Z');
  assert.equal(iso(''), undefined);
  const error = (t: string) => { const r = parseUtcText(t); assert.ok(!r.ok, t); return r.error; };
  assert.match(error('11/19/2026, 05:58:56 PM'), /ISO 8601.*2026-11-19T17:58:56Z/);
  assert.match(error('2026-11-19T17:5'), /ISO 8601/);
  assert.match(error('2026-13-01'), /no month 13/);
  assert.match(error('2026-02-29'), /2026-02 has no day 29/);
  assert.match(error('2026-04-31T00:00Z'), /no day 31/);
  assert.match(error('2026-11-19T24:00:00Z'), /24:00:00 is not a time of day/);
});

test('sizes in binary units, whole bytes below 1 KiB', () => {
  assert.deepEqual([0, 1023, 1024, 1536, 10 * 1024 * 1024 + 1, 200 * 1024 ** 3, 3 * 1024 ** 5].map(formatBytes), ['0 B', '1023 B', '1.0 KiB', '1.5 KiB', '10.0 MiB', '200 GiB', '3072 TiB']);
});

test('a rule diagnostic keeps its excerpt when the line shows something, not an empty line with a caret under nothing', () => {
  const whole = 'a.yml (query):1:1: error SIGMA001: not runnable here: logsource (product aws) is not a Windows event log\n  |\n1 | \n  | ^';
  assert.equal(renderedWithText(whole), undefined);
  const real = "r.yaml:14:3: warning RULE003: 'Ransomware' is not an ATT&CK tactic\n   |\n14 | - Ransomware\n   |   ^^^^^^^^^^";
  assert.equal(renderedWithText(real), real);
  assert.equal(renderedWithText('r.yaml: error RULE001: no query'), 'r.yaml: error RULE001: no query');
});
