// Entry point: draws the button before any wasm (the placeholder stylesheet), keeps a click made before the
// element is defined, loads the wasm next to this file and defines <anypoint-signin>. Built twice from this
// file (scripts/build.sh): the module anypoint-signin.js (`<script type="module">`, bundlers), and the classic
// anypoint-signin-head.js for the README's embed, a script in <head> that runs before the page's first frame,
// so that no click on the placeholder comes before the listener that keeps it. It imports nothing statically,
// so it runs as soon as it arrives: the wasm, the largest file, downloads while the modules do (the build also
// requests each module here at once: scripts/module-graph.mjs).
import placeholder from './anypoint-signin.css';

// Once a page, though it may load both builds (the head script and the module).
const ENTRY = Symbol.for('anypoint-signin.entry');
if (!globalThis[ENTRY]) {
  globalThis[ENTRY] = true;
  start();
}

function start() {
  // The classic build reads its own URL where the module reads import.meta.url (build.sh defines one as the
  // other): the files it loads are next to it.
  const wasm = fetch(new URL('./anypoint_signin_bg.wasm', import.meta.url));
  // A failed request is reported by define(), which awaits it.
  wasm.catch(() => {});
  // A page that resumes a sign-in or a session shows the user once the element runs, not "Sign in" before: a
  // callback (a `state` in the query), or a page whose sessionStorage holds an element's attempt or session
  // (src/storage.rs's keys), or whose site's backend holds a session (its script-readable hint cookie:
  // core/src/backend_session.rs). The placeholder works (a turning mark, no words) in the button's box
  // meanwhile.
  const [HINT, PREFIX] = ['anypoint-signin-hint', '__Host-'];
  let resuming = new URLSearchParams(location.search).has('state');
  try {
    resuming ||= Object.keys(sessionStorage).some((key) => key.startsWith('anypoint-signin:'))
      || document.cookie.split(';').map((pair) => pair.split('=')[0].trim()).some((n) => n === HINT || n === PREFIX + HINT);
  } catch {
    // Storage or cookies blocked (a sandboxed frame throws on either): the element says so itself.
  }

  // The placeholder (src/placeholder.rs), for pages without dist/anypoint-signin.css in their <head>: a
  // constructable stylesheet, which a strict CSP allows.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(placeholder);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // No constructable stylesheets: the button shows once defined.
  }

  // Until the element is defined, the placeholder is a button too: focusable, named by its label, and a click
  // (or Enter, or Space) on it is kept, shown as working, and handed to the element when it connects
  // (js/element.js).
  const TAG = 'anypoint-signin';
  const EARLY = Symbol.for('anypoint-signin.early');
  // Sets `name` unless the page did; what it set is taken back by the element.
  const lend = (element, name, value) => {
    if (!element.hasAttribute(name)) { element.setAttribute(name, value); element[EARLY].set.push(name); }
  };
  const adopt = (element) => {
    if (element[EARLY]) return element[EARLY];
    element[EARLY] = { set: [], click: false };
    lend(element, 'tabindex', '0');
    lend(element, 'role', 'button');
    if (resuming) lend(element, 'aria-busy', 'true');
    return element[EARLY];
  };
  const adoptAll = () => document.querySelectorAll(`${TAG}:not(:defined)`).forEach(adopt);
  adoptAll();
  // Run from <head>, the elements are still to come: each is adopted as the parser adds it, before the frame
  // that first shows it (observers run at the end of each parser task, and frames come between tasks).
  if (document.readyState === 'loading') {
    const parsing = new MutationObserver(adoptAll);
    parsing.observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', () => { parsing.disconnect(); adoptAll(); }, { once: true });
  }
  const keep = (event) => {
    const element = event.target.closest?.(`${TAG}:not(:defined)`);
    if (!element || (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    adopt(element).click = true;
    lend(element, 'aria-busy', 'true');
  };
  document.addEventListener('click', keep, true);
  document.addEventListener('keydown', keep, true);
  customElements.whenDefined(TAG).then(() => {
    document.removeEventListener('click', keep, true);
    document.removeEventListener('keydown', keep, true);
  });

  import('./define.js').then(
    // define() says what failed itself.
    ({ define }) => define(undefined, wasm).catch(() => {}),
    (error) => console.error(`anypoint-signin: define.js, next to this file, did not load (${error}).`),
  );
}
