/**
 * Strings in code-unit order (what `<` compares): the same order on every machine and in every locale, and no
 * ICU collator to start. The first `localeCompare` of a process took 5-10 ms (ICU loading its collation
 * data), paid by every `kqlite hunt` for ordering a few device names.
 */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
