// "Check my connected app": what this browser finds when it tries the configured authorization server, client
// ID and redirect URI the way the element would. Each line is a status (ok, warn, fail, or skip: not checked),
// what was checked, and the fix in one sentence. Every request's failure becomes a line, never an exception.

const TIMEOUT_MS = 10_000;
const STATUS = { ok: ['✓', 'OK'], warn: ['!', 'Warning'], fail: ['✕', 'Fail'], skip: ['–', 'Not checked'] };
// What each line checks, in the order the panel shows them.
const CHECKED = { discovery: 'Discovery from the browser', s256: 'PKCE with S256', iss: 'The iss response parameter',
  revocation: 'Revocation endpoint', userinfo: 'Userinfo endpoint', 'end-session': 'End-session endpoint',
  token: 'Token endpoint from the browser', 'redirect-scheme': 'Redirect URI: https or loopback',
  'redirect-page': 'Redirect URI: this page', coop: 'Cross-Origin-Opener-Policy', popup: 'Popup on a click' };
// A code no server issued: a token endpoint that answers it with a readable `invalid_grant` would redeem a real one.
const MADE_UP_CODE = 'anypoint-signin-playground-check';

const line = (id, status, what, fix) => ({ id, status, what, fix });

// As the element requires its URLs (core/src/web_url.rs): https, or http on a loopback host (RFC 8252 §7.3); no
// user name or password, no spaces or control characters. The same table of cases runs through both
// (core/tests/web-url-cases.json, tests/browser/playground.test.mjs).
export function webUrl(text) {
  if (/[\s\p{Cc}]/u.test(text) || !URL.canParse(text)) return null;
  const url = new URL(text);
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d+){3}$/.test(url.hostname);
  const scheme = (url.protocol === 'https:' && url.hostname) || (url.protocol === 'http:' && loopback);
  return scheme && !url.username && !url.password ? url : null;
}

// fetch() that resolves to {response} or {failure}: a TypeError (network or CORS: the browser does not say
// which) or a timeout.
async function attempt(url, init = {}) {
  try {
    return { response: await fetch(url, { credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS), ...init }) };
  } catch (e) {
    return { failure: e.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : 'blocked by the browser (CORS) or unreachable' };
  }
}

async function json(response) {
  try {
    const value = await response.json();
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

// The discovery line, the document when the element would use it, and the token endpoint the element would call.
async function discovery({ issuer, region }) {
  const url = `${issuer}/.well-known/openid-configuration`;
  // A region's element falls back to the documented endpoints; a custom issuer's needs the document.
  const unusable = (what, fix) => (region
    ? { endpoint: `${issuer}/token`, lines: [line('discovery', 'warn', what, 'Nothing to fix here: the element then uses Anypoint\'s documented endpoints.')] }
    : { lines: [line('discovery', 'fail', what, fix)] });
  if (!webUrl(issuer)) {
    return { lines: [line('discovery', 'fail', `The issuer ${issuer ? `"${issuer}"` : '(empty)'} is not an https URL.`, 'Enter the issuer URL in the configuration, e.g. https://idp.example.com.')] };
  }
  const { response, failure } = await attempt(url);
  if (failure) return unusable(`Discovery at ${url}: ${failure}.`, 'Allow this page\'s origin in the server\'s CORS settings, or correct the issuer URL.');
  const doc = response.ok ? await json(response) : null;
  if (!doc) return unusable(`Discovery at ${url} answered HTTP ${response.status}, not a JSON document.`, 'Correct the issuer URL: its document must be at /.well-known/openid-configuration under it.');
  if (doc.issuer !== issuer) {
    return { lines: [line('discovery', 'fail', `The discovery document names issuer "${doc.issuer}", not "${issuer}": the element refuses it (a mix-up).`,
      'Set the issuer (authority) to exactly the value the document names.')] };
  }
  // The endpoints the element checks (core/src/discovery.rs, `validate`): the first two required, the others
  // when present.
  const insecure = ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'revocation_endpoint', 'end_session_endpoint']
    .filter((name, i) => (i < 2 || name in doc) && !(typeof doc[name] === 'string' && webUrl(doc[name])));
  if (insecure.length) {
    return { lines: [line('discovery', 'fail', `In the discovery document, ${insecure.join(', ')} ${insecure.length > 1 ? 'are' : 'is'} missing or not https: the element refuses it.`,
      'Fix the server\'s metadata: every endpoint must be an https URL (http only on loopback).')] };
  }
  return { doc, endpoint: doc.token_endpoint, lines: [line('discovery', 'ok', 'Discovery document read from this page (CORS allowed), with the expected issuer.', 'Nothing to fix.')] };
}

// What the discovery document says about the features the element uses.
function fields(doc) {
  const methods = doc.code_challenge_methods_supported;
  const has = (name) => typeof doc[name] === 'string' && doc[name] !== '';
  return [
    !Array.isArray(methods)
      ? line('s256', 'warn', 'code_challenge_methods_supported is missing: the server does not say whether it takes PKCE.', 'Make sure the server accepts PKCE with S256, which the element always sends.')
      : methods.includes('S256')
        ? line('s256', 'ok', `PKCE with S256 is supported (code_challenge_methods_supported: ${methods.join(', ')}).`, 'Nothing to fix.')
        : line('s256', 'fail', `code_challenge_methods_supported is ${JSON.stringify(methods)}, without S256: the element refuses the server (a downgrade).`, 'Enable PKCE with S256 on the authorization server.'),
    doc.authorization_response_iss_parameter_supported === true
      ? line('iss', 'ok', 'The server adds iss to its authorization responses, and the element checks it (RFC 9207).', 'Nothing to fix.')
      : line('iss', 'warn', 'authorization_response_iss_parameter_supported is not true: responses carry no iss, so a mix-up goes unnoticed (RFC 9207).', 'If you run the server, turn on the iss response parameter.'),
    has('revocation_endpoint')
      ? line('revocation', 'ok', 'A revocation endpoint: sign-out revokes the tokens.', 'Nothing to fix.')
      : line('revocation', 'warn', 'No revocation_endpoint: sign-out forgets the tokens but they stay valid until they expire.', 'Keep token lifetimes short, or enable revocation (RFC 7009) on the server.'),
    has('userinfo_endpoint')
      ? line('userinfo', 'ok', 'A userinfo endpoint: the element can read the user\'s name there.', 'Nothing to fix.')
      : line('userinfo', 'warn', 'No userinfo_endpoint: the name shown comes from the id_token only.', 'Request the openid and profile scopes so the id_token carries the name.'),
    has('end_session_endpoint')
      ? line('end-session', 'ok', 'An end_session_endpoint: the server can end its own session too (RP-initiated logout).', 'Nothing to fix; send users there after sign-out if they should log out of the server too.')
      : line('end-session', 'warn', 'No end_session_endpoint: sign-out leaves the session at the server, so the next sign-in may skip its login page.', 'Tell users to log out of the authorization server itself when that matters.'),
  ];
}

// A POST with a made-up code, as the element's exchange would send it.
async function tokenEndpoint(endpoint, { clientId, redirectUri, exchange }) {
  const backend = exchange === 'backend';
  const viaBackend = 'Nothing to fix: the backend (exchangeuri) redeems the code with the client secret.';
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: MADE_UP_CODE, redirect_uri: redirectUri,
    client_id: clientId, code_verifier: 'x'.repeat(43) });
  // The element follows no redirect from the token endpoint; neither does this.
  const { response, failure } = await attempt(endpoint, { method: 'POST', body, redirect: 'manual' });
  if (failure) {
    return backend
      ? line('token', 'ok', `The token endpoint ${endpoint}: ${failure}; the browser need not call it.`, viaBackend)
      : line('token', 'fail', `The token endpoint ${endpoint}: ${failure}, so the browser cannot exchange the code.`,
        'Exchange the code on a backend: set exchangeuri (Code exchange: Backend) to an endpoint that adds the client secret.');
  }
  if (response.type === 'opaqueredirect') {
    return line('token', 'fail', `The token endpoint ${endpoint} answered with a redirect, which the element does not follow.`, 'Put the final token endpoint URL in the server\'s metadata.');
  }
  const answer = await json(response);
  if (!answer?.error) {
    return line('token', backend ? 'warn' : 'fail', `The token endpoint ${endpoint} answered HTTP ${response.status} without an OAuth error for a made-up code.`,
      'Check the issuer: this does not answer like a token endpoint.');
  }
  const said = `answered this page with a readable ${answer.error}${answer.error_description ? ` ("${answer.error_description}")` : ''} for a made-up code`;
  if (answer.error === 'invalid_grant') {
    return line('token', 'ok', `The token endpoint ${said}: it accepts requests from the browser.`, backend ? viaBackend : 'Nothing to fix: the browser exchange can work.');
  }
  if (backend) return line('token', 'ok', `The token endpoint ${said}.`, viaBackend);
  if (answer.error === 'invalid_client' || answer.error === 'unauthorized_client') {
    return line('token', 'fail', `The token endpoint ${said}: it does not take this client ID without a secret.`,
      'Check the client ID; a confidential app (with a secret) needs a backend exchange (exchangeuri).');
  }
  return line('token', 'warn', `The token endpoint ${said}.`, 'Check that the connected app has the Authorization Code grant and this redirect URI.');
}

function redirect(redirectUri) {
  const here = `${location.origin}${location.pathname}`;
  const parsed = URL.canParse(redirectUri) ? new URL(redirectUri) : null;
  const refused = !webUrl(redirectUri) ? 'is not https' : parsed.hash ? 'has a #fragment' : null;
  const scheme = !parsed
    ? line('redirect-scheme', 'fail', `The redirect URI "${redirectUri}" is not an absolute URL.`, 'Enter the full URL of the callback page, e.g. https://app.example.com/callback.')
    : refused
      ? line('redirect-scheme', 'fail', `The redirect URI ${redirectUri} ${refused}: the element refuses it.`, 'Use an https:// URL without a fragment (plain http only on 127.0.0.1, [::1] or localhost).')
      : line('redirect-scheme', 'ok', `The redirect URI uses ${parsed.protocol === 'https:' ? 'https' : 'http on a loopback host'}.`, `Nothing to fix; register exactly ${redirectUri} on the connected app.`);
  const page = !parsed ? line('redirect-page', 'skip', 'Whether the redirect URI is this page.', 'Fix the redirect URI first.')
    : `${parsed.origin}${parsed.pathname}` === here
      ? line('redirect-page', 'ok', 'The redirect URI is this page, which has the element to finish the sign-in.', 'Nothing to fix.')
      : parsed.origin === location.origin
        ? line('redirect-page', 'warn', `The sign-in ends on ${parsed.pathname}, another page of this site.`, 'Put the element, with the same clientid and issuer, on that page too.')
        : line('redirect-page', 'fail', `The sign-in would end on ${parsed.origin}, which has no record of this tab's attempt.`, `Use a page of this origin (${location.origin}) as the redirect URI.`);
  return [scheme, page];
}

// Popup mode needs the popup's window.opener, which a Cross-Origin-Opener-Policy severs. A <meta> cannot set
// one, so the page's own response headers say.
async function openerPolicy(mode) {
  const { response, failure } = await attempt(location.href, { method: 'HEAD' });
  if (failure) return line('coop', 'warn', `Could not read this page's headers: ${failure}.`, 'Check the page\'s Cross-Origin-Opener-Policy header yourself: popup mode needs none, or unsafe-none.');
  const header = response.headers.get('cross-origin-opener-policy');
  const policy = header?.split(';')[0].trim().toLowerCase() || 'unsafe-none';
  if (policy === 'unsafe-none') {
    return line('coop', 'ok', `This page sends ${header ? `Cross-Origin-Opener-Policy: ${header}` : 'no Cross-Origin-Opener-Policy'}, so the popup can hand its response back.`, 'Nothing to fix.');
  }
  // same-origin-allow-popups keeps the popup's opener until it loads a page with a different policy, such as
  // the redirect page served with this one; the other policies sever it at once.
  const allowPopups = policy === 'same-origin-allow-popups';
  const what = allowPopups
    ? `Cross-Origin-Opener-Policy: ${header}: the popup loses its opener when it comes back to a page served with it.`
    : `Cross-Origin-Opener-Policy: ${header} cuts the popup off from this page: popup mode cannot finish.`;
  const serve = `serve ${allowPopups ? 'the redirect page' : 'this page'} without the header (or with unsafe-none)`;
  return mode === 'popup'
    ? line('coop', allowPopups ? 'warn' : 'fail', what, `To use popup mode, ${serve}; or use mode="redirect".`)
    : line('coop', 'warn', what, `Fine for mode="redirect"; to use popup mode, ${serve}.`);
}

// Must run in the click's task: a browser lets a page open a popup only then.
function tryPopup() {
  let popup = null;
  try { popup = window.open('about:blank', 'anypoint-signin-check', 'popup,width=320,height=240'); } catch { /* sandboxed */ }
  popup?.close();
  return popup
    ? line('popup', 'ok', 'A popup opened on your click (and closed at once).', 'Nothing to fix: popup mode can open its window.')
    : line('popup', 'fail', 'The browser blocked a popup opened on your click.', 'Allow popups for this site, or keep mode="redirect" (a blocked popup falls back to redirect unless the page cancels popup_blocked).');
}

const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function item({ id, status, what, fix }) {
  const [icon, label] = STATUS[status];
  const node = el('li', { className: 'result' }, [
    el('span', { className: 'status' }, [el('span', { className: 'icon', textContent: icon, ariaHidden: 'true' }), label]),
    el('div', { className: 'body' }, [el('h3', { textContent: CHECKED[id] }), el('p', { className: 'what', textContent: what }),
      el('p', { className: 'fix', textContent: fix })]),
  ]);
  Object.assign(node.dataset, { check: id, status });
  return node;
}

// Wires the panel: `target()` is the configuration to check, {issuer, region, clientId, redirectUri, exchange,
// mode}. Returns a function to call when the configuration changes.
export function checkPanel({ target, announce }) {
  const $ = (id) => document.getElementById(id);
  const list = $('check-results');
  let results = [];
  let popup = line('popup', 'skip', 'Whether a popup may open: only a click may open one.', 'Press "Check popup" to try it.');

  const render = () => {
    const popupItem = item(popup);
    popupItem.querySelector('.body').append(el('button', { type: 'button', className: 'ghost small', id: 'check-popup', textContent: 'Check popup' }));
    list.replaceChildren(...results.map(item), popupItem);
    $('check-empty').hidden = results.length > 0;
  };

  async function check() {
    const t = target();
    $('check-stale').hidden = true;
    $('run-check').disabled = true;
    list.setAttribute('aria-busy', 'true');
    $('check-target').textContent = `${t.issuer || '(no issuer)'} · ${t.clientId || '(no client ID)'}`;
    const issuer = t.issuer.replace(/\/+$/, '');
    const [found, coop] = await Promise.all([discovery({ ...t, issuer }), openerPolicy(t.mode)]);
    const token = found.endpoint ? await tokenEndpoint(found.endpoint, t)
      : line('token', 'skip', 'Whether the token endpoint accepts a request from the browser.', 'Fix discovery first: the element takes the token endpoint from it.');
    results = [...found.lines, ...(found.doc ? fields(found.doc) : []), token, ...redirect(t.redirectUri), coop];
    render();
    $('run-check').disabled = false;
    list.removeAttribute('aria-busy');
    const count = (s) => results.filter((r) => r.status === s).length;
    announce(`Check done: ${count('ok')} OK, ${count('warn')} warnings, ${count('fail')} failed`);
  }

  $('run-check').addEventListener('click', check);
  list.addEventListener('click', (e) => {
    if (e.target.id !== 'check-popup') return;
    popup = tryPopup();
    render();
    $('check-popup').focus();
  });
  render();
  return () => { $('check-stale').hidden = results.length === 0; };
}
