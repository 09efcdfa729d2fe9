/** Aggregate signatures: `name min max returns prefix` (see types.ts). */
import { parseSignatureTable } from './types.js';

const AGGREGATES = `
count 0 1 long count_
countif 1 1 long countif_
dcount 1 2 long dcount_
dcountif 2 3 long dcountif_
count_distinct 1 1 long count_distinct_
count_distinctif 2 2 long count_distinctif_
sum 1 1 sum sum_
sumif 2 2 sum sumif_
avg 1 1 mean avg_
avgif 2 2 mean avgif_
min 1 1 arg0 min_
max 1 1 arg0 max_
minif 2 2 arg0 minif_
maxif 2 2 arg0 maxif_
arg_min 1 * arg0 * argmin
arg_max 1 * arg0 * argmax
make_set 1 2 dynamic set_ makeset
make_set_if 2 3 dynamic set_ makeset_if
make_set_with_nulls 1 2 dynamic set_
make_list 1 2 dynamic list_ makelist
make_list_if 2 3 dynamic list_
make_list_with_nulls 1 2 dynamic list_
make_bag 1 2 dynamic bag_
make_bag_if 2 3 dynamic bag_
make_dictionary 1 2 dynamic dictionary_
take_any 1 * arg0 - any anyif_placeholder
take_anyif 2 2 arg0 -
percentile 2 2 pct percentile_
percentiles 2 * pct percentile_
percentiles_array 2 * dynamic percentiles_
percentilew 3 3 pct percentile_
percentilesw 3 * pct percentile_
percentilesw_array 3 * dynamic percentile_
stdev 1 1 real stdev_
stdevif 2 2 real stdevif_
stdevp 1 1 real stdevp_
variance 1 1 real variance_
varianceif 2 2 real varianceif_
variancep 1 1 real variancep_
variancepif 2 2 real variancepif_
covariance 2 2 real covariance_
covarianceif 3 3 real covarianceif_
covariancep 2 2 real covariancep_
covariancepif 3 3 real covariancepif_
binary_all_and 1 1 long binary_all_and_
binary_all_or 1 1 long binary_all_or_
binary_all_xor 1 1 long binary_all_xor_
hll 1 2 dynamic hll_
hll_if 2 3 dynamic hll_if_
hll_merge 1 * dynamic hll_merge_
tdigest 1 2 dynamic tdigest_
tdigest_merge 1 * dynamic tdigest_merge_ merge_tdigest
buildschema 1 1 dynamic schema_
`;

export const AGGREGATE_SIGNATURES = parseSignatureTable('aggregate', AGGREGATES, true).filter((s) => s.name !== 'anyif_placeholder');
