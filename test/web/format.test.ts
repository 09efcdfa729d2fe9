// Display formatting of API values in the web app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCell, formatDuration, formatTime, isoToLocalInput, localInputToIso } from '../../src/web/format.js';

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

test('datetime-local inputs round-trip through ISO as UTC', () => {
  assert.equal(isoToLocalInput('2026-11-19T17:58:56.428Z'), '2026-11-19T17:58:56');
  assert.equal(localInputToIso('2026-11-19T17:58:56'), '2026-11-19T17:58:56.000Z');
  assert.equal(localInputToIso('2026-11-19T17:58'), '2026-11-19T17:58:00.000Z');
  assert.equal(localInputToIso(''), undefined);
  assert.equal(localInputToIso('garbage'), undefined);
});
