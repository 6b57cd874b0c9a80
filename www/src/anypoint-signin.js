// Entry module: draws the button before any wasm (the placeholder stylesheet), keeps a click made before the
// element is defined, loads the wasm next to this file and defines <anypoint-signin>. It imports nothing
// statically, so it runs as soon as it arrives: the wasm, the largest file, downloads while the modules do (the
// build also requests each module here at once: scripts/module-graph.mjs).
import placeholder from './anypoint-signin.css';

const wasm = fetch(new URL('./anypoint_signin_bg.wasm', import.meta.url));
// The flows' chunk (sign-in, callback, renewal: src/flows) is fetched after the first paint, except on a page
// that needs it at once: a callback (a `state` in the query) or one whose sessionStorage holds an element's
// attempt or session (src/storage.rs's keys), or whose site's backend holds a session (its script-readable hint
// cookie: core/src/backend_session.rs). Decided here, so that both files download together.
const [HINT, PREFIX] = ['anypoint-signin-hint', '__Host-'];
let stored = false;
try {
  stored = Object.keys(sessionStorage).some((key) => key.startsWith('anypoint-signin:'))
    || document.cookie.split(';').map((pair) => pair.split('=')[0].trim()).some((n) => n === HINT || n === PREFIX + HINT);
} catch {
  // Storage or cookies blocked (a sandboxed frame throws on either): the element says so itself.
}
const early = [];
if (stored || new URLSearchParams(location.search).has('state')) {
  const url = new URL('./split_flows.wasm', import.meta.url);
  early.push([url, fetch(url)]);
}
// A failed request is reported by define() or the flow that needs it, which await it.
for (const request of [wasm, ...early.map(([, r]) => r)]) request.catch(() => {});

// The placeholder (src/placeholder.rs), for pages without dist/anypoint-signin.css in their <head>: a
// constructable stylesheet, which a strict CSP allows.
try {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(placeholder);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
} catch {
  // No constructable stylesheets: the button shows once defined.
}

// Until the element is defined, the placeholder is a button too: focusable, named by its label, and a click (or
// Enter, or Space) on it is kept, shown as working, and handed to the element when it connects (js/element.js).
const TAG = 'anypoint-signin';
const EARLY = Symbol.for('anypoint-signin.early');
// Sets `name` unless the page did; what it set is taken back by the element.
const lend = (element, name, value) => {
  if (!element.hasAttribute(name)) { element.setAttribute(name, value); element[EARLY].set.push(name); }
};
// A page that resumes a sign-in or a session shows the user once the element runs, not "Sign in" before: the
// placeholder works (a turning mark, no words) in the button's box meanwhile.
const resuming = early.length > 0;
for (const element of document.querySelectorAll(`${TAG}:not(:defined)`)) {
  element[EARLY] = { set: [], click: false };
  lend(element, 'tabindex', '0');
  lend(element, 'role', 'button');
  if (resuming) lend(element, 'aria-busy', 'true');
}
const keep = (event) => {
  const element = event.target.closest?.(`${TAG}:not(:defined)`);
  const state = element?.[EARLY];
  if (!state || (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ')) return;
  event.preventDefault();
  state.click = true;
  lend(element, 'aria-busy', 'true');
};
document.addEventListener('click', keep, true);
document.addEventListener('keydown', keep, true);
customElements.whenDefined(TAG).then(() => {
  document.removeEventListener('click', keep, true);
  document.removeEventListener('keydown', keep, true);
});

const { define } = await import('./define.js');
await define(undefined, wasm, early);
