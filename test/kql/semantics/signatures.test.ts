import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGGREGATE_SIGNATURES, FUNCTION_SIGNATURES, lookupFunction } from '../../../src/kql/semantics/index.js';
import { conformanceCases } from '../../helpers/corpus.js';

test('signature tables are well formed', () => {
  for (const s of [...FUNCTION_SIGNATURES.values(), ...AGGREGATE_SIGNATURES.values()]) {
    assert.ok(Number.isInteger(s.minArgs) && s.minArgs >= 0, s.name);
    assert.ok(s.maxArgs >= s.minArgs, s.name);
  }
  assert.ok(FUNCTION_SIGNATURES.size > 250);
  assert.ok(AGGREGATE_SIGNATURES.size > 40);
});

// the let-defined names of the cases (to_hash: geospatial-joins#2, vector_sum: series-iir-function#2) are the cases' own
test('every built-in function the conformance cases call has a signature', () => {
  const userDefined = /^(App|LookupColumns|MultiplyByN|MyDistinct|MyFilter|MyFunction1|TrimOnes|_choose|checkLength|f|foo1|foo2|fromUnixTime|getQueryParamValue|toUnixTime|endofweekSunday|startofweekFromMonday|country|map_ip_to_longlat|bool|datetime|decimal|double|dynamic|int|long|real|time|timespan|all|any|map|inner_nodes|node_degree_in|node_degree_out|node_id|geohash_to_map_url|point_to_map_url|clipped_average|to_hash|vector_sum)$/;
  const missing = new Set<string>();
  for (const c of conformanceCases()) {
    for (const f of c.functions) if (!userDefined.test(f) && !lookupFunction(f) && !AGGREGATE_SIGNATURES.has(f.toLowerCase())) missing.add(f);
  }
  assert.deepEqual([...missing].sort(), []);
});
