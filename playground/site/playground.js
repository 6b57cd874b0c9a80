// The playground: a form that configures one live <anypoint-signin>, the snippets for that configuration, an
// event log (log.js) and a token inspector (tokens.js). The configuration lives in sessionStorage, so it
// survives the trip to the authorization server and back. The element's choices, defaults, events and custom
// properties come from its manifest (surface.js).
import { issuerOf, snippet } from './snippets.js';
import { checkPanel } from './check.js';
import { CSS_PROPERTIES, EVENTS, choices, defaultOf } from './surface.js';
import { clearLog, record, renderLog } from './log.js';
import { callUserinfo, showTokens, tick } from './tokens.js';

const root = document.documentElement;
const ISSUER = root.dataset.issuer;
const PUBLIC_CLIENT = root.dataset.publicClient;
const CONFIDENTIAL_CLIENT = root.dataset.confidentialClient;
const EXCHANGE_URI = '/api/exchange';
// Anypoint's documented scopes; any other goes in the free-text field.
const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'full', 'read:full'];
// The choice attributes the form offers (their <select>s are filled from the manifest).
const CHOICES = ['region', 'storage', 'dpop', 'mode', 'theme', 'size', 'shape', 'width'];
// The look-and-flow attributes and their defaults (left out of the snippet when unchanged).
const LOOK = Object.fromEntries(['mode', 'theme', 'size', 'shape', 'width', 'locale', 'label-signin', 'label-signout']
  .map((name) => [name, defaultOf(name)]));
const CSS_VARS = CSS_PROPERTIES.map((p) => p.name);
const MANAGED = ['clientid', 'authority', 'region', 'redirecturi', 'scopes', 'exchangeuri', 'storage', 'dpop', ...Object.keys(LOOK)];
const CONFIG_KEY = 'anypoint-signin-playground:config';

const $ = (id) => document.getElementById(id);
const form = $('config');

const pageUrl = () => `${location.origin}${location.pathname}`;
const defaults = () => ({ provider: 'local', region: defaultOf('region'), authority: '', clientid: PUBLIC_CLIENT,
  redirecturi: pageUrl(), scope: defaultOf('scopes').split(' '), extraScopes: '', exchange: 'browser',
  storage: defaultOf('storage'), dpop: defaultOf('dpop'), ...LOOK,
  ...Object.fromEntries(CSS_VARS.map((v) => [v, ''])) });

function load(key, fallback) {
  try { return JSON.parse(sessionStorage.getItem(key)) ?? fallback; } catch { return fallback; }
}
const save = (key, value) => sessionStorage.setItem(key, JSON.stringify(value));

let config = { ...defaults(), ...load(CONFIG_KEY, {}) };

const scopesOf = (c) => [...new Set([...c.scope, ...c.extraScopes.split(/\s+/).filter(Boolean)])];

// The element's attributes for a configuration, in the order a person writes them.
function attributesOf(c) {
  const attrs = [['clientid', c.clientid]];
  if (c.provider === 'local') attrs.push(['authority', ISSUER]);
  if (c.provider === 'region') attrs.push(['region', c.region]);
  if (c.provider === 'custom') attrs.push(['authority', c.authority]);
  attrs.push(['redirecturi', c.redirecturi], ['scopes', scopesOf(c).join(' ')]);
  if (c.exchange === 'backend') attrs.push(['exchangeuri', EXCHANGE_URI]);
  for (const name of ['storage', 'dpop']) if (c[name] !== defaultOf(name)) attrs.push([name, c[name]]);
  for (const [name, fallback] of Object.entries(LOOK)) if (c[name] && c[name] !== fallback) attrs.push([name, c[name]]);
  return attrs;
}
const cssOf = (c) => CSS_VARS.filter((v) => c[v].trim()).map((v) => [v, c[v].trim()]);

// ---- the form ------------------------------------------------------------------------------------------

// The choice attributes' <select>s, with the element's words; one <input> per custom property.
function buildChoices() {
  for (const name of CHOICES) {
    form.elements[name].replaceChildren(...choices(name).map((word) => new Option(word, word)));
  }
  // The built-in languages (the locale's type lists them), after the default: the page's language.
  form.elements.locale.replaceChildren(new Option('page language', ''), ...choices('locale').map((tag) => new Option(tag, tag)));
  $('css-vars').replaceChildren(...CSS_PROPERTIES.map(({ name, description }) => {
    const label = Object.assign(document.createElement('label'), { className: 'field' });
    label.append(`${description} `, Object.assign(document.createElement('code'), { textContent: name }),
      Object.assign(document.createElement('input'), { name, autocomplete: 'off', spellcheck: false }));
    return label;
  }));
}

function buildScopePicker() {
  for (const scope of SCOPES) {
    const input = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'scope', value: scope });
    const label = document.createElement('label');
    label.className = 'chip';
    label.append(input, scope);
    $('scope-picker').append(label);
  }
}

function writeForm(c) {
  for (const input of form.elements) {
    if (!input.name) continue;
    if (input.type === 'radio') input.checked = c[input.name] === input.value;
    else if (input.type === 'checkbox') input.checked = c[input.name].includes(input.value);
    else input.value = c[input.name] ?? '';
  }
}

function readForm() {
  const data = new FormData(form);
  const next = { ...config };
  for (const key of Object.keys(defaults())) {
    next[key] = key === 'scope' ? data.getAll('scope') : (data.get(key) ?? config[key]);
  }
  // Switching the exchange switches between the two local apps, unless the client ID was edited.
  if (next.exchange !== config.exchange) {
    const [from, to] = next.exchange === 'backend' ? [PUBLIC_CLIENT, CONFIDENTIAL_CLIENT] : [CONFIDENTIAL_CLIENT, PUBLIC_CLIENT];
    if (next.clientid === from) next.clientid = form.elements.clientid.value = to;
  }
  return next;
}

// ---- the preview and what depends on the configuration ------------------------------------------------

const signin = document.createElement('anypoint-signin');
signin.id = 'signin';

function applyToElement(c) {
  const attrs = new Map(attributesOf(c));
  for (const name of MANAGED) {
    if (attrs.has(name)) {
      if (signin.getAttribute(name) !== attrs.get(name)) signin.setAttribute(name, attrs.get(name));
    } else if (signin.hasAttribute(name)) {
      signin.removeAttribute(name);
    }
  }
  for (const v of CSS_VARS) signin.style.setProperty(v, c[v].trim());
  // A dark button is judged on a dark page.
  $('stage').dataset.theme = c.theme;
}

let lang = 'html';
function renderSnippet() {
  $('snippet').firstElementChild.textContent = snippet(lang, attributesOf(config), cssOf(config));
  for (const tab of $('snippet-tabs').children) {
    const on = tab.dataset.lang === lang;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    if (on) $('snippet').setAttribute('aria-labelledby', tab.id);
  }
}

function renderDependents(c) {
  for (const node of document.querySelectorAll('[data-show]')) {
    const [key, value] = node.dataset.show.split('=');
    node.hidden = c[key] !== value;
  }
  const scopes = scopesOf(c);
  $('step-redirect').textContent = c.redirecturi || pageUrl();
  $('step-scopes').textContent = scopes.length ? scopes.join(', ') : 'the ones your app needs';
  $('step-refresh').hidden = !scopes.includes('offline_access');
  $('step-secret').hidden = c.exchange !== 'backend';
  const server = { local: `Local authorization server · ${new URL(ISSUER).host}`,
    region: `Anypoint Platform · ${c.region.toUpperCase()}`,
    custom: `Custom issuer · ${(URL.canParse?.(c.authority) && new URL(c.authority).host) || 'not set'}` };
  $('server-text').textContent = server[c.provider];
  $('server-badge').dataset.provider = c.provider;
}

function render() {
  applyToElement(config);
  renderSnippet();
  renderDependents(config);
}

// ---- copy ---------------------------------------------------------------------------------------------

async function copy(text, button) {
  let done = false;
  try { await navigator.clipboard.writeText(text); done = true; } catch { /* no clipboard permission */ }
  const label = button.textContent;
  button.textContent = done ? 'Copied' : 'Press Ctrl-C';
  $('announce').textContent = done ? 'Copied to the clipboard' : 'Copy blocked: select the text and press Ctrl-C';
  if (!done) getSelection().selectAllChildren($('snippet'));
  setTimeout(() => { button.textContent = label; }, 1500);
}

// ---- wiring ---------------------------------------------------------------------------------------------

// What "Check my connected app" tries: the configuration's server, app and redirect URI, as the element has them.
const checkTarget = () => ({ issuer: issuerOf(attributesOf(config)), region: config.provider === 'region',
  clientId: config.clientid, redirectUri: config.redirecturi || pageUrl(), exchange: config.exchange, mode: config.mode });

function wire() {
  const checkChanged = checkPanel({ target: checkTarget, announce: (text) => { $('announce').textContent = text; } });
  const changed = () => { save(CONFIG_KEY, config); render(); checkChanged(); };
  form.addEventListener('input', () => {
    config = readForm();
    changed();
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  $('reset').addEventListener('click', () => {
    config = defaults();
    writeForm(config);
    changed();
  });
  $('clear-log').addEventListener('click', clearLog);
  $('call-userinfo').addEventListener('click', () => callUserinfo(issuerOf(attributesOf(config))));
  const tabs = [...$('snippet-tabs').children];
  $('snippet-tabs').addEventListener('click', (e) => {
    const tab = e.target.closest('[role=tab]');
    if (tab) { lang = tab.dataset.lang; renderSnippet(); }
  });
  $('snippet-tabs').addEventListener('keydown', (e) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
    if (!step) return;
    const next = tabs[(tabs.findIndex((t) => t.dataset.lang === lang) + step + tabs.length) % tabs.length];
    lang = next.dataset.lang;
    renderSnippet();
    next.focus();
  });
  $('copy-snippet').addEventListener('click', (e) => copy($('snippet').textContent, e.currentTarget));
  $('copy-redirect').addEventListener('click', (e) => copy($('step-redirect').textContent, e.currentTarget));
  for (const type of EVENTS) document.addEventListener(type, (e) => record(type, e.detail));
  document.addEventListener('anypoint-signin', (e) => showTokens(e.detail, scopesOf(config)));
  document.addEventListener('anypoint-signout', () => showTokens(null));
  document.addEventListener('anypoint-signin-error', (e) => {
    $('state').textContent = `Error: ${e.detail?.code}`;
    $('state').dataset.state = 'error';
  });
  setInterval(tick, 1000);
}

buildChoices();
buildScopePicker();
writeForm(config);
$('issuer-text').textContent = ISSUER;
$('confidential-text').textContent = CONFIDENTIAL_CLIENT;
wire();
render();
renderLog();
showTokens(null);
const back = new URLSearchParams(location.search);
if (back.has('state')) record('page', { text: `back from the authorization server (${back.has('code') ? 'code' : 'error'} + state)` });
// Attributes and listeners first, then the element: so a callback in the URL is handled with this
// configuration and every event it fires is logged.
$('stage').append(signin);
try {
  await import('/anypoint-signin/anypoint-signin.js');
} catch (e) {
  $('state').textContent = 'The element failed to load';
  console.error('anypoint-signin failed to load:', e);
}
