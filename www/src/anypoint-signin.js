// Entry module: loads the wasm next to this file and defines <anypoint-signin>. It imports nothing statically, so
// it runs as soon as it arrives: the wasm, the largest file, downloads while the modules do (the build also
// requests each module here at once: scripts/module-graph.mjs).
const wasm = fetch(new URL('./anypoint_signin_bg.wasm', import.meta.url));
// A failed request is reported by define(), which awaits it.
wasm.catch(() => {});
const { define } = await import('./define.js');
await define(undefined, wasm);
