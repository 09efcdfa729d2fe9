/**
 * Which dynamic arrays are known to hold integers (Kusto's int/long elements) rather than reals.
 *
 * Kusto's dynamic values keep each number's type: `dynamic([1, 2])` holds longs, `dynamic([1.0, 2.0])`
 * reals. kqlite keeps dynamic numbers as plain JavaScript numbers, where 2 and 2.0 are one value, so the
 * element type is recorded beside the array instead, by the places that know it: the dynamic literal
 * (every number in the array written as an integer) and make-series over an int/long aggregate. Functions
 * whose result depends on the element type (series_fill_linear keeps integers integers) ask here; an
 * array nobody marked counts as reals, which is what every other series function computes in anyway.
 * The record is a WeakSet: it costs nothing once the array is gone, and a new array (any function's
 * result) starts unmarked.
 */
const INTEGER_ARRAYS = new WeakSet<object>();

export function markIntegerArray<T extends object>(a: T): T {
  INTEGER_ARRAYS.add(a);
  return a;
}

export function isIntegerArray(a: unknown): boolean {
  return typeof a === 'object' && a !== null && INTEGER_ARRAYS.has(a);
}
