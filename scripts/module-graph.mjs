// The element's module graph in www/dist: which files a page fetches from an entry module (the modules it
// imports, relatively, statically or with `import()`, and the files they load with
// `new URL('…', import.meta.url)`: the wasm). The size budget counts them; the build flattens it:
//
//   node scripts/module-graph.mjs flatten DIR ENTRY...
//
// prepends to each entry a request for every module it only reaches through others, as
// <link rel="modulepreload"> would: the browser then requests them all as soon as the entry arrives instead of
// one after the other (entry → define.js → glue → snippet). An entry with static imports gets bare imports
// (they still run in the same order: a module's own imports always run before it); one without, which starts
// the wasm's download before anything else, gets `import()`s, which do not hold it back.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REFS = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']|new URL\(\s*["']([^"':]+)["']\s*,\s*import\.meta\.url/g;
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["']/;

// What `file` (relative to `dir`) refers to: modules it imports and assets it loads, relative to `dir`.
function refs(dir, file) {
  return [...readFileSync(join(dir, file), 'utf8').matchAll(REFS)]
    .map(([, module, asset]) => relative(dir, join(dir, dirname(file), module ?? asset)));
}

// Every file `entry` leads to, itself first.
export function moduleGraph(dir, entry) {
  const order = [];
  const visit = (file) => {
    if (order.includes(file)) return;
    order.push(file);
    if (file.endsWith('.js')) refs(dir, file).forEach(visit);
  };
  visit(entry);
  return order;
}

function flatten(dir, entry) {
  const direct = new Set(refs(dir, entry));
  const deep = moduleGraph(dir, entry).slice(1).filter((f) => f.endsWith('.js') && !direct.has(f));
  const specifier = (f) => `./${relative(dirname(join(dir, entry)), join(dir, f)).replaceAll('\\', '/')}`;
  const source = readFileSync(join(dir, entry), 'utf8');
  // A failed request is reported where the module is really imported.
  const request = STATIC_IMPORT.test(source) ? (f) => `import"${f}";` : (f) => `import("${f}").catch(()=>{});`;
  writeFileSync(join(dir, entry), deep.map((f) => request(specifier(f))).join('') + source);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, dir, ...entries] = process.argv.slice(2);
  if (command !== 'flatten' || !dir || !entries.length) {
    console.error('usage: node scripts/module-graph.mjs flatten DIR ENTRY...');
    process.exit(2);
  }
  for (const entry of entries) flatten(dir, entry);
}
