/** Scalar function signatures (see types.ts for the table format). */
import { parseSignatureTable } from './types.js';

const STRING = `
strlen 1 1 long
substring 2 3 string
indexof 2 5 long
indexof_regex 2 5 long
split 2 3 dynamic
strcat 1 * string
strcat_delim 2 * string
strcat_array 2 2 string
strcmp 2 2 long
strrep 2 3 string
string_size 1 1 long
replace_string 3 3 string
replace_strings 3 3 string
replace_regex 3 3 string replace
trim 2 2 string
trim_start 2 2 string
trim_end 2 2 string
toupper 1 1 string
tolower 1 1 string
reverse 1 1 string
countof 2 3 long
extract 3 4 typeof-string
extract_all 2 3 dynamic
extract_json 2 3 typeof-string extractjson
parse_json 1 1 dynamic todynamic toobject
parse_xml 1 1 dynamic
parse_csv 1 1 dynamic
parse_command_line 2 2 dynamic
parse_path 1 1 dynamic
parse_url 1 1 dynamic parseurl
parse_urlquery 1 1 dynamic
parse_version 1 1 decimal
parse_user_agent 2 2 dynamic
url_encode 1 1 string
url_encode_component 1 1 string
url_decode 1 1 string
base64_encode_tostring 1 1 string base64_encodestring
base64_decode_tostring 1 1 string base64_decodestring
base64_encode_fromarray 1 1 string
base64_decode_toarray 1 1 dynamic
base64_encode_fromguid 1 1 string
base64_decode_toguid 1 1 guid
isascii 1 1 bool
isutf8 1 1 bool
has_any_index 2 2 long
regex_quote 1 1 string
format_bytes 1 3 string
translate 3 3 string
unicode_codepoints_from_string 1 1 dynamic
unicode_codepoints_to_string 1 * string
punycode_from_string 1 1 string
punycode_to_string 1 1 string
punycode_domain_from_string 1 1 string
punycode_domain_to_string 1 1 string
gzip_compress_to_base64_string 1 1 string
gzip_decompress_from_base64_string 1 1 string
zlib_compress_to_base64_string 1 1 string
zlib_decompress_from_base64_string 1 1 string
tohex 1 2 string
to_utf8 1 1 dynamic
make_string 1 * string
new_guid 0 0 guid
`;

const CONDITIONAL = `
iff 3 3 common iif
case 3 * common
coalesce 1 * common
isnull 1 1 bool
isnotnull 1 1 bool notnull
isempty 1 1 bool
isnotempty 1 1 bool notempty
not 1 1 bool
min_of 1 * common
max_of 1 * common
column_ifexists 2 2 arg1
around 3 3 bool
assert 2 2 bool
`;

const CONVERSION = `
tostring 1 1 string
toint 1 1 int
tolong 1 1 long
toreal 1 1 real todouble
todecimal 1 1 decimal
tobool 1 1 bool toboolean
todatetime 1 1 datetime
totimespan 1 1 timespan totime
toguid 1 1 guid
gettype 1 1 string
dynamic_to_json 1 1 string
estimate_data_size 1 * long
`;

const DATETIME = `
now 0 1 datetime
ago 1 1 datetime
datetime_add 3 3 datetime
datetime_diff 3 3 long
datetime_part 2 2 int
datetime_local_to_utc 2 2 datetime
datetime_utc_to_local 2 2 datetime
dayofmonth 1 1 int
dayofweek 1 1 timespan
dayofyear 1 1 int
hourofday 1 1 int
monthofyear 1 1 int getmonth
week_of_year 1 1 int weekofyear
getyear 1 1 int
startofday 1 2 datetime
startofweek 1 2 datetime
startofmonth 1 2 datetime
startofyear 1 2 datetime
endofday 1 2 datetime
endofweek 1 2 datetime
endofmonth 1 2 datetime
endofyear 1 2 datetime
make_datetime 1 7 datetime
make_timespan 2 4 timespan
format_datetime 2 2 string
format_timespan 2 2 string
unixtime_seconds_todatetime 1 1 datetime
unixtime_milliseconds_todatetime 1 1 datetime
unixtime_microseconds_todatetime 1 1 datetime
unixtime_nanoseconds_todatetime 1 1 datetime
`;

const MATH = `
abs 1 1 bin
bin 2 2 bin floor
bin_at 3 3 bin
bin_auto 1 1 bin
ceiling 1 1 arg0
round 1 2 arg0
sign 1 1 real
sqrt 1 1 real
pow 2 2 real
exp 1 1 real
exp2 1 1 real
exp10 1 1 real
log 1 1 real
log2 1 1 real
log10 1 1 real
loggamma 1 1 real
gamma 1 1 real
pi 0 0 real
rand 0 1 real
sin 1 1 real
cos 1 1 real
tan 1 1 real
cot 1 1 real
asin 1 1 real
acos 1 1 real
atan 1 1 real
atan2 2 2 real
degrees 1 1 real
radians 1 1 real
isnan 1 1 bool
isinf 1 1 bool
isfinite 1 1 bool
erf 1 1 real
erfc 1 1 real
beta_cdf 3 3 real
beta_inv 3 3 real
beta_pdf 3 3 real
binary_and 2 2 long
binary_or 2 2 long
binary_xor 2 2 long
binary_not 1 1 long
binary_shift_left 2 2 long
binary_shift_right 2 2 long
bitset_count_ones 1 1 long
convert_angle 3 3 real
convert_energy 3 3 real
convert_force 3 3 real
convert_length 3 3 real
convert_mass 3 3 real
convert_speed 3 3 real
convert_temperature 3 3 real
convert_volume 3 3 real
welch_test 6 6 real
`;

const DYNAMIC = `
array_length 1 1 long
array_concat 1 * dynamic
array_iff 3 3 dynamic array_iif
array_index_of 2 5 long
array_reverse 1 1 dynamic
array_rotate_left 2 2 dynamic
array_rotate_right 2 2 dynamic
array_shift_left 2 3 dynamic
array_shift_right 2 3 dynamic
array_slice 3 3 dynamic
array_sort_asc 1 * dynamic
array_sort_desc 1 * dynamic
array_split 2 2 dynamic
array_sum 1 1 real
bag_has_key 2 2 bool
bag_keys 1 1 dynamic
bag_merge 1 * dynamic
bag_pack 0 * dynamic pack
bag_pack_columns 1 * dynamic
bag_remove_keys 2 2 dynamic
bag_set_key 3 3 dynamic
bag_zip 2 2 dynamic
pack_all 0 1 dynamic
pack_array 0 * dynamic
pack_dictionary 0 * dynamic
set_difference 2 * dynamic
set_has_element 2 2 bool
set_intersect 2 * dynamic
set_union 2 * dynamic
treepath 1 1 dynamic
zip 2 * dynamic
jaccard_index 2 2 real
repeat 2 2 dynamic
range 2 3 dynamic
`;

const NETWORK = `
ipv4_compare 2 3 long
ipv4_is_in_range 2 2 bool
ipv4_is_in_any_range 2 * bool
ipv4_is_match 2 3 bool
ipv4_is_private 1 1 bool
ipv4_netmask_suffix 1 1 long
ipv4_range_to_cidr_list 2 2 dynamic
parse_ipv4 1 1 long
parse_ipv4_mask 2 2 long
format_ipv4 1 2 string
format_ipv4_mask 1 2 string
ipv6_compare 2 3 long
ipv6_is_in_range 2 2 bool
ipv6_is_in_any_range 2 * bool
ipv6_is_match 2 3 bool
parse_ipv6 1 1 string
parse_ipv6_mask 2 2 string
has_ipv4 2 2 bool
has_ipv4_prefix 2 2 bool
has_any_ipv4 2 * bool
has_any_ipv4_prefix 2 * bool
geo_info_from_ip_address 1 1 dynamic
`;

const HASH = `
hash 1 2 long
hash_combine 2 * long
hash_many 1 * long
hash_md5 1 1 string
hash_sha1 1 1 string
hash_sha256 1 1 string
hash_xxhash64 1 2 long
`;

const WINDOW = `
row_number 0 2 long
row_cumsum 1 2 arg0
row_rank_dense 1 2 long
row_rank_min 1 2 long
row_window_session 4 5 datetime
prev 1 3 arg0
next 1 3 arg0
`;

const TABULAR = `
toscalar 1 1 dynamic
materialize 1 1 dynamic
cursor_current 0 0 string
cursor_after 1 1 bool
ingestion_time 0 0 datetime
current_principal 0 0 string
current_principal_details 0 0 dynamic
current_principal_is_member_of 1 * bool
current_cluster_endpoint 0 0 string
current_database 0 0 string
extent_id 0 0 guid
extent_tags 0 0 dynamic
column_names_of 1 1 dynamic
table 1 2 dynamic
database 1 1 dynamic
cluster 1 1 dynamic
`;

const SERIES = `
series_abs 1 1 dynamic
series_acos 1 1 dynamic
series_asin 1 1 dynamic
series_atan 1 1 dynamic
series_ceiling 1 1 dynamic
series_cos 1 1 dynamic
series_exp 1 1 dynamic
series_floor 1 1 dynamic
series_log 1 1 dynamic
series_sign 1 1 dynamic
series_sin 1 1 dynamic
series_tan 1 1 dynamic
series_add 2 2 dynamic
series_subtract 2 2 dynamic
series_multiply 2 2 dynamic
series_divide 2 2 dynamic
series_pow 2 2 dynamic
series_equals 2 2 dynamic
series_not_equals 2 2 dynamic
series_greater 2 2 dynamic
series_greater_equals 2 2 dynamic
series_less 2 2 dynamic
series_less_equals 2 2 dynamic
series_magnitude 1 1 real
series_sum 1 1 real
series_product 1 1 real
series_dot_product 2 2 real
series_cosine_similarity 2 2 real
series_pearson_correlation 2 2 real
series_stats_dynamic 1 2 dynamic
series_fill_backward 1 2 dynamic
series_fill_forward 1 2 dynamic
series_fill_const 1 3 dynamic
series_fill_linear 1 4 dynamic
series_iir 3 3 dynamic
series_fir 2 4 dynamic
series_periods_detect 4 4 dynamic
series_periods_validate 2 * dynamic
series_seasonal 1 2 dynamic
series_outliers 1 5 dynamic
series_decompose 1 5 dynamic
series_decompose_anomalies 1 7 dynamic
series_decompose_forecast 2 5 dynamic
series_fit_line_dynamic 1 1 dynamic
series_fit_2lines_dynamic 1 1 dynamic
series_stats 1 2 dynamic
series_fit_line 1 1 dynamic
series_fit_2lines 1 1 dynamic
series_fit_poly 1 3 dynamic
series_fft 1 2 dynamic
series_ifft 1 2 dynamic
`;

/** Geospatial functions with exact signatures (other geo_* names are recognised by prefix, see index.ts). */
const GEO = `
geo_point_to_geohash 2 3 string
geo_geohash_to_central_point 1 1 dynamic
geo_geohash_to_polygon 1 1 dynamic
geo_geohash_neighbors 1 1 dynamic
geo_point_to_h3cell 2 3 string
geo_h3cell_level 1 1 int
geo_h3cell_parent 1 2 string
geo_h3cell_children 1 2 dynamic
geo_h3cell_neighbors 1 1 dynamic
geo_h3cell_rings 2 2 dynamic
geo_h3cell_to_central_point 1 1 dynamic
geo_h3cell_to_polygon 1 1 dynamic
geo_point_to_s2cell 2 3 string
geo_s2cell_to_central_point 1 1 dynamic
geo_s2cell_to_polygon 1 1 dynamic
geo_s2cell_neighbors 1 1 dynamic
geo_distance_2points 4 4 real
geo_point_in_circle 5 5 bool
geo_azimuth 4 4 real
geo_angle 6 6 real
geo_point_in_polygon 3 3 bool
geo_distance_point_to_line 3 3 real
geo_distance_point_to_polygon 3 3 real
geo_from_wkt 1 1 dynamic
geo_line_length 1 1 real
geo_line_centroid 1 1 dynamic
geo_line_interpolate_point 2 2 dynamic
geo_line_locate_point 3 3 real
geo_closest_point_on_line 3 3 dynamic
geo_intersects_2lines 2 2 bool
geo_intersection_2lines 2 2 dynamic
geo_line_densify 1 3 dynamic
geo_line_simplify 1 2 dynamic
geo_union_lines_array 1 1 dynamic
geo_line_to_s2cells 1 3 dynamic
geo_line_buffer 2 3 dynamic
geo_polygon_area 1 1 real
geo_polygon_perimeter 1 1 real
geo_polygon_centroid 1 1 dynamic
geo_polygon_densify 1 3 dynamic
geo_polygon_simplify 1 2 dynamic
geo_simplify_polygons_array 1 2 dynamic
geo_union_polygons_array 1 1 dynamic
geo_intersection_2polygons 2 2 dynamic
geo_intersects_2polygons 2 2 bool
geo_intersection_line_with_polygon 2 2 dynamic
geo_intersects_line_with_polygon 2 2 bool
geo_closest_point_on_polygon 3 3 dynamic
geo_point_buffer 3 4 dynamic
geo_polygon_buffer 2 3 dynamic
geo_polygon_to_s2cells 1 3 dynamic
geo_polygon_to_h3cells 1 3 dynamic
`;

/** Scalar forms of sketch functions (their aggregate forms are in aggregates.ts). */
const SKETCHES = `
hll_merge 1 * dynamic
dcount_hll 1 1 long
merge_tdigest 1 * dynamic tdigest_merge
percentile_tdigest 2 3 typeof
percentiles_array_tdigest 2 * dynamic
rank_tdigest 2 2 long
percentrank_tdigest 2 2 real
`;

export const SCALAR_SIGNATURES = [
  ...parseSignatureTable('string', STRING),
  ...parseSignatureTable('conditional', CONDITIONAL),
  ...parseSignatureTable('conversion', CONVERSION),
  ...parseSignatureTable('datetime', DATETIME),
  ...parseSignatureTable('math', MATH),
  ...parseSignatureTable('dynamic', DYNAMIC),
  ...parseSignatureTable('network', NETWORK),
  ...parseSignatureTable('hash', HASH),
  ...parseSignatureTable('window', WINDOW),
  ...parseSignatureTable('tabular', TABULAR),
  ...parseSignatureTable('series', SERIES),
  ...parseSignatureTable('sketch', SKETCHES),
  ...parseSignatureTable('geo', GEO),
];
