/**
 * A package, or one of Node's own modules, loaded on first use. Some that only a few functions need (the YAML
 * reader, RE2 regular expressions, H3 and S2 cells, GeoIP, the special functions, CSV, exact JSON numbers,
 * SQLite, the Kusto client; node:crypto, node:zlib, node:v8) took 3-40 ms each to load and run; imported at
 * the top of a module they cost every command that reaches the module, used or not. `lazyPackage` gives a
 * function that loads the module (a package's CommonJS build, through require) when first called and
 * returns the same module after:
 *
 *   import type * as Re2js from 're2js';
 *   const re2js = lazyPackage<typeof Re2js>('re2js');
 *   ... re2js().RE2JS.compile(pattern) ...
 *
 * The name is a variable to the bundler (scripts/build-cli.mjs), so the package stays out of the bundle and is
 * neither compiled nor run until called. Every module of kqlite loads these packages this way only (a test
 * checks), so one copy of each is loaded: no ES module and CommonJS instance side by side.
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromHere(name) as T);
}

/** Where a file of a package is (`name/path`), resolved as `lazyPackage` would load it; undefined when absent. */
export function resolvePackageFile(request: string): string | undefined {
  try {
    return requireFromHere.resolve(request);
  } catch {
    return undefined;
  }
}
