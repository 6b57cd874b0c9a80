// Entry module: loads the wasm next to this file and defines <anypoint-signin>. It imports nothing statically, so
// it runs as soon as it arrives: the wasm, the largest file, downloads while the modules do (the build also
// requests each module here at once: scripts/module-graph.mjs).
const wasm = fetch(new URL('./anypoint_signin_bg.wasm', import.meta.url));
// The flows' chunk (sign-in, callback, renewal: src/flows) is fetched after the first paint, except on a page
// that needs it at once: a callback (a `state` in the query) or one whose sessionStorage holds an element's
// attempt or session (src/storage.rs's keys), or whose site's backend holds a session (its script-readable hint
// cookie: core/src/backend_session.rs). Decided here, so that both files download together.
let stored = false;
try {
  stored = Object.keys(sessionStorage).some((key) => key.startsWith('anypoint-signin:'));
} catch {
  // Storage blocked: the element says so itself.
}
const [HINT, PREFIX] = ['anypoint-signin-hint', '__Host-'];
stored ||= document.cookie.split(';').map((pair) => pair.split('=')[0].trim()).some((n) => n === HINT || n === PREFIX + HINT);
const early = [];
if (stored || new URLSearchParams(location.search).has('state')) {
  const url = new URL('./split_flows.wasm', import.meta.url);
  early.push([url, fetch(url)]);
}
// A failed request is reported by define() or the flow that needs it, which await it.
for (const request of [wasm, ...early.map(([, r]) => r)]) request.catch(() => {});
const { define } = await import('./define.js');
await define(undefined, wasm, early);
