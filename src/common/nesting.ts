/**
 * How deeply nested a value may be, everywhere: `dynamic(...)` literals, parse_json() at query time, JSON
 * records at ingest. Code that walks values recursively (comparison, formatting, V8's JSON.stringify)
 * handles this depth comfortably; past it a value is refused with a reason (a diagnostic, a quarantined
 * record) instead of overflowing the stack somewhere later. Real telemetry nests a few dozen levels.
 */
export const MAX_NESTING = 1000;

/**
 * Whether JSON `text` opens more than `limit` arrays/objects inside each other. One pass over the
 * characters (strings skipped, escapes honoured), no recursion; text shorter than 2 × limit never does,
 * so the common short value costs one comparison.
 */
export function jsonNestsDeeper(text: string, limit = MAX_NESTING): boolean {
  if (text.length <= 2 * limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}
