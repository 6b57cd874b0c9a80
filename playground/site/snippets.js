// The code a developer copies: the element with the playground's attributes, in plain HTML and in each
// framework, and the backend that goes with `exchangeuri`. Pure functions of the attributes.

// The README embed: the entry point as a classic script, for <head> (it draws the button and keeps clicks from
// the first frame).
const SCRIPT = '<script src="/anypoint-signin/anypoint-signin-head.js"></script>';

// Framework apps load the element once, from their index.html.
const LOADED = `// index.html loads the element once, in <head>: ${SCRIPT}`;

const escapeAttr = (v) => v.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
const indent = (lines, pad) => lines.map((l) => pad + l).join('\n');

// `name="value"` lines; `vue`/`angular` templates take them as they are.
const attrLines = (attrs) => attrs.map(([name, value]) => `${name}="${escapeAttr(value)}"`);

// The tag, on one line when short; `extra` lines (event bindings) go after the attributes.
function tag(attrs, pad, close = '></anypoint-signin>', extra = []) {
  const lines = [...attrLines(attrs), ...extra];
  if (!extra.length && lines.join(' ').length < 60) return `${pad}<anypoint-signin ${lines.join(' ')}${close}`;
  return `${pad}<anypoint-signin\n${indent(lines, `${pad}  `)}${close}`;
}

function style(css, pad = '') {
  if (!css.length) return [];
  return [`${pad}<style>`, `${pad}  anypoint-signin {`, ...css.map(([k, v]) => `${pad}    ${k}: ${v};`), `${pad}  }`,
    `${pad}</style>`];
}

const html = (attrs, css) => [
  SCRIPT,
  ...style(css),
  tag(attrs, ''),
  '',
  '<script type="module">',
  "  const button = document.querySelector('anypoint-signin');",
  "  button.addEventListener('anypoint-signin', (event) => {",
  '    const { accessToken, profile, expiresAt } = event.detail;',
  '    console.log(`signed in as ${profile.name}`, accessToken, new Date(expiresAt));',
  '  });',
  "  button.addEventListener('anypoint-signout', () => console.log('signed out'));",
  "  button.addEventListener('anypoint-signin-error', (event) => console.error(event.detail.code, event.detail.message));",
  '</script>',
].join('\n');

// JSX: attributes as written (React 19 passes unknown attributes of custom elements through).
const react = (attrs) => [
  LOADED,
  "import { useEffect, useRef } from 'react';",
  '',
  'export function SignIn({ onSignIn, onSignOut }) {',
  '  const ref = useRef(null);',
  '  useEffect(() => {',
  '    const button = ref.current;',
  '    const signIn = (event) => onSignIn(event.detail);',
  "    button.addEventListener('anypoint-signin', signIn);",
  "    button.addEventListener('anypoint-signout', onSignOut);",
  '    return () => {',
  "      button.removeEventListener('anypoint-signin', signIn);",
  "      button.removeEventListener('anypoint-signout', onSignOut);",
  '    };',
  '  }, [onSignIn, onSignOut]);',
  '  return (',
  tag(attrs, '    ', ' />', ['ref={ref}']),
  '  );',
  '}',
].join('\n');

const vue = (attrs) => [
  '<!-- vite.config.js: vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === \'anypoint-signin\' } } }) -->',
  `<!-- ${LOADED.slice(3)} -->`,
  '<script setup>',
  "import { ref } from 'vue';",
  'const user = ref(null);',
  'const onSignIn = (event) => { user.value = event.detail.profile; };',
  'const onSignOut = () => { user.value = null; };',
  '</script>',
  '',
  '<template>',
  tag([...attrs, ['@anypoint-signin', 'onSignIn'], ['@anypoint-signout', 'onSignOut']], '  ', ' />'),
  '  <p v-if="user">Hello, {{ user.name }}</p>',
  '</template>',
].join('\n');

const angular = (attrs) => [
  LOADED,
  "import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';",
  '',
  '@Component({',
  "  selector: 'app-sign-in',",
  '  schemas: [CUSTOM_ELEMENTS_SCHEMA],',
  '  template: `',
  tag([...attrs, ['(anypoint-signin)', 'signedIn($event)'], ['(anypoint-signout)', 'user.set(null)']], '    '),
  '    @if (user(); as u) { <p>Hello, {{ u.name }}</p> }',
  '  `,',
  '})',
  'export class SignInComponent {',
  '  user = signal<{ name?: string } | null>(null);',
  '  signedIn(event: Event) {',
  '    this.user.set((event as CustomEvent).detail.profile);',
  '  }',
  '}',
].join('\n');

// Leptos 0.8: a hyphenated tag is a custom element; `on:` with any other name listens for that event.
const leptos = (attrs) => [
  LOADED,
  'use leptos::prelude::*;',
  'use wasm_bindgen::JsCast;',
  '',
  '#[component]',
  'pub fn SignIn() -> impl IntoView {',
  '    let (signed_in, set_signed_in) = signal(false);',
  '    view! {',
  tag(attrs, '        ', '></anypoint-signin>', [
    'on:anypoint-signin=move |event: web_sys::Event| {',
    '    let detail = event.unchecked_into::<web_sys::CustomEvent>().detail();',
    '    leptos::logging::log!("signed in: {detail:?}");',
    '    set_signed_in.set(true);',
    '}',
    'on:anypoint-signout=move |_| set_signed_in.set(false)',
  ]),
  '        <Show when=move || signed_in.get()>"Welcome back!"</Show>',
  '    }',
  '}',
].join('\n');

// Anypoint's control planes (the element's `region`).
const REGION_HOSTS = { us: 'anypoint.mulesoft.com', eu: 'eu1.anypoint.mulesoft.com', ca: 'ca1.platform.mulesoft.com',
  jp: 'jp1.platform.mulesoft.com', gov: 'gov.anypoint.mulesoft.com' };

// The issuer the element's attributes name: its `authority`, else its region's.
export const issuerOf = (attrs) => {
  const attr = Object.fromEntries(attrs);
  return attr.authority ?? `https://${REGION_HOSTS[attr.region ?? 'us']}/accounts/api/v2/oauth2`;
};

// The backend libraries (anypoint-signin/server, anypoint-signin-server) for the element's app and issuer.
const backend = (attrs) => {
  const attr = Object.fromEntries(attrs);
  const issuer = issuerOf(attrs);
  const clientId = attr.clientid;
  return [
    attr.exchangeuri
      ? `// exchangeuri="${attr.exchangeuri}": your backend adds the client secret; the browser never sees it.`
      : '// With exchangeuri="/api/exchange" on the element, your backend adds the client secret:',
    '// and keeps the refresh token in an encrypted HttpOnly cookie (the page gets access and id tokens only).',
    '// POST {code, code_verifier, redirect_uri, client_id}, {grant_type: "refresh_token", client_id}, {action: "sign_out", client_id}',
    '// → 200 the token response | 400 invalid_request | 401 invalid_client | 403 another origin | 502 server_error',
    '// The session key: openssl rand -base64 32',
    '',
    '// Node.js, Deno, Bun, edge runtimes: npm install anypoint-signin',
    "import { createExchangeHandler } from 'anypoint-signin/server';",
    '',
    'const exchange = createExchangeHandler({',
    `  issuer: ${JSON.stringify(issuer)},`,
    `  clientId: ${JSON.stringify(clientId)},`,
    '  clientSecret: process.env.ANYPOINT_CLIENT_SECRET,',
    '  sessionKey: process.env.ANYPOINT_SIGNIN_SESSION_KEY,',
    '}); // (request: Request) => Promise<Response>',
    'export const POST = exchange; // Next.js: app/api/exchange/route.js',
    '// Express:',
    "// app.post('/api/exchange', express.text({ type: '*/*' }), async (req, res) => {",
    "//   const answer = await exchange(new Request(`http://${req.headers.host}${req.url}`,",
    "//     { method: 'POST', headers: req.headers, body: req.body }));",
    "//   res.status(answer.status).set('set-cookie', answer.headers.getSetCookie());",
    "//   res.set('content-type', answer.headers.get('content-type')).set('cache-control', 'no-store').send(await answer.text());",
    '// });',
    '',
    '// Rust, axum: anypoint-signin-server (the repository\'s server/)',
    'let config = anypoint_signin_server::Config::new(',
    `    ${JSON.stringify(issuer)},`,
    `    ${JSON.stringify(clientId)},`,
    '    std::env::var("ANYPOINT_CLIENT_SECRET")?,',
    '    [std::env::var("ANYPOINT_SIGNIN_SESSION_KEY")?],',
    ')?;',
    'let app = axum::Router::new().merge(anypoint_signin_server::router(config)); // POST /api/exchange',
    '',
    '// Or the playground\'s server, which serves your pages and the element too:',
    `// ANYPOINT_ISSUER=${issuer} ANYPOINT_CLIENT_ID=${clientId} \\`,
    '// ANYPOINT_CLIENT_SECRET=your-connected-app-secret ANYPOINT_SIGNIN_SESSION_KEY=$(openssl rand -base64 32) \\',
    '// PLAYGROUND_PAGES=./public target/release/playground-server',
  ].join('\n');
};

export const LANGUAGES = { html, react, vue, angular, leptos, backend };

export function snippet(lang, attrs, css) {
  return LANGUAGES[lang](attrs, css);
}
