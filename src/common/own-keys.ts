/**
 * Plain objects keyed by names that come from data (table names, column names): `__proto__`, `constructor`
 * or `toString` are valid names, and `o[name]` would read Object.prototype's members or (`__proto__`) set
 * the object's prototype instead of a key. These read and write own properties only.
 */
export function ownValue<T>(o: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  // assignment makes an own property for every name but `__proto__` (Object.prototype's only accessor), and is
  // far cheaper than defineProperty in loops that build bags row by row
  if (key !== '__proto__') o[key] = value;
  else Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Adds `n` to the count under `key`. */
export function addOwn(o: Record<string, number>, key: string, n: number): void {
  setOwn(o, key, (ownValue(o, key) ?? 0) + n);
}
