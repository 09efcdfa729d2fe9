// Loads one file of the bundled command line (dist/cli-bundle/<command>.js, CommonJS; scripts/build-cli.mjs)
// with the V8 code cache written beside it at build time (<command>.js.cache). Compiling a command's file took
// 25-40 ms of every run (a 1-2 MiB script, and the functions its modules run as they load); with the cache
// V8 reads the compiled code instead. Node 20's module loaders take no code cache, so the file is compiled
// here as a vm.Script in this context, wrapped as Node wraps a CommonJS module.
// The cache holds only if this Node's V8 (version and flags) made it: when V8 rejects it (Node upgraded since
// the build) the file is compiled from its text as without a cache, and the cache is written anew.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

/** Where the code cache of a bundle file is kept. */
const codeCacheOf = (file) => `${file}.cache`;

/**
 * Compiles and runs a bundle file; gives its exports, the compiled script (for `writeCodeCache`) and what
 * became of the cache: 'accepted', 'rejected' (made by another V8) or 'absent'.
 */
function loadBundle(file) {
  // the files are ASCII (the build checks): read as Latin-1, half the work of UTF-8 (~3 ms for 2 MiB)
  const source = readFileSync(file, 'latin1');
  let cachedData;
  try {
    cachedData = readFileSync(codeCacheOf(file));
  } catch {
    cachedData = undefined;
  }
  // one line, so line numbers in stack traces are the file's
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    // the bundle's import() of a package left outside it goes to Node's own loader
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const cache = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { exports: module.exports, script, cache };
}

/** Writes the code cache of a loaded bundle file (whole or not at all: another process may read it now). */
function writeCodeCache(file, script) {
  const target = codeCacheOf(file);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, script.createCachedData());
  renameSync(temporary, target);
}

module.exports = { codeCacheOf, loadBundle, writeCodeCache };
