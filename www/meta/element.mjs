// The one description of <anypoint-signin>'s public surface: registry.json's facts (written from the code by
// src/registry.rs) with their descriptions. www/meta/generate.mjs turns it into the Custom Elements Manifest
// (dist/custom-elements.json) and the TypeScript declarations (dist/*.d.ts), so the two cannot disagree.
// tests/browser/package.test.mjs checks it against the real element in Chromium (observed attributes, CSS
// parts, custom properties, event details).
//
// Types are TypeScript source text. To add an attribute, event, part or custom property, add one entry.

import registry from './registry.json' with { type: 'json' };

// Names, choices, defaults, error codes and event names come from registry.json, which a test writes from the
// code (src/registry.rs); this file adds what people read: descriptions, and the types of event details.
export const tagName = registry.tag;
export const className = 'AnypointSigninElement';
export const summary = 'A "Sign in with Anypoint Platform" button: OAuth 2.0 authorization code + PKCE, as a web component.';
export const description = 'Click to sign in with Anypoint Platform (or any OpenID Connect provider); back on the redirect page the element exchanges the code, shows who is signed in and tells the page through DOM events. All attributes are observed.';

const union = (values) => values.map((v) => `'${v}'`).join(' | ');

// Each attribute of the registry, described.
const described = {
  clientid: "The connected app's client ID. Required.",
  redirecturi: 'Where Anypoint sends the user back: a page that also has the element. Absolute https:// (http:// only for 127.0.0.1, [::1], localhost). Default: the current page.',
  scopes: 'Space-separated scopes to request.',
  region: "Anypoint's control plane. Ignored when `authority` is set.",
  authority: 'An issuer URL that overrides `region`: any OpenID Connect provider (its discovery document is required).',
  exchangeuri: "Your backend's URL (a path on your site; anypoint-signin/server and anypoint-signin-server answer the site's own pages only). When set, the element POSTs JSON {code, code_verifier, redirect_uri, client_id} there instead of calling the token endpoint and expects the token response back, less its refresh token, which the backend keeps in an HttpOnly cookie; it renews with {grant_type: 'refresh_token', client_id} and signs out with {action: 'sign_out', client_id} there too: how a confidential connected app (with a client secret) is used.",
  storage: 'session: the tab keeps its sign-in across reloads (sessionStorage); memory: until the page is left. Tokens never go to localStorage.',
  mode: 'redirect: the tab goes to the sign-in page and back; popup: a popup window signs in and its redirect page (which has the element too) hands the response back with postMessage. A blocked popup falls back to redirect unless the page cancels the popup_blocked error event.',
  theme: 'auto follows prefers-color-scheme.',
  size: "The button's size.",
  shape: "The button's corners.",
  width: 'wide fills the container; icon shows the mark only (the label stays the accessible name and tooltip).',
  signout: 'revoke: sign-out ends the session here and revokes its tokens; provider: then also ends it at the provider (its end_session_endpoint: RP-initiated logout), which sends the user back to redirecturi.',
  authtype: "The earlier element's grant choice: only the authorization code with PKCE remains (implicit is refused, RFC 9700).",
  'label-signin': "The sign-in button's label, instead of the locale's.",
  'label-signout': "The sign-out button's label, instead of the locale's.",
  dpop: "DPoP (RFC 9449): bind the browser's tokens to a key the page cannot export, so a copied token is useless elsewhere. auto: when the discovery document's dpop_signing_alg_values_supported lists ES256; on: refuse to sign in without it (said before the visitor leaves the page); off: Bearer tokens. With exchangeuri the backend is the client and tokens are Bearer (on is refused there).",
  fetchorigins: "Space-separated origins (https://api.example.com) that element.fetch() sends the access token to. Default: the issuer's origin and the page's own.",
  locale: `A BCP 47 tag for the labels: ${registry.languages.join(', ')} built in (others: English). Default: the nearest lang attribute, else the browser's languages.`,
};

// `alias`: another spelling of the attribute named there (both are observed; the plain one wins).
export const attributes = registry.attributes.flatMap(({ name, alias, kind, choices, default: value }) => {
  if (!described[name]) throw new Error(`www/meta/element.mjs: describe the attribute ${name}`);
  // The locale takes any BCP 47 tag; the built-in languages are offered first (editors complete them).
  const type = kind === 'choice' ? union(choices)
    : name === 'locale' ? `${union(registry.languages)} | (string & {})` : 'string';
  const attribute = { name, type,
    ...(value !== null && { default: `'${value}'` }), description: described[name] };
  return alias ? [attribute, { name: alias, alias: name }] : [attribute];
});

export const properties = [
  { name: 'signedIn', type: 'boolean', readonly: true, description: 'Whether a user is signed in.' },
  { name: 'accessToken', type: 'string | null', readonly: true, description: 'The access token, or null when signed out. A DPoP-bound one works only with a proof: send requests with fetch().' },
  { name: 'tokenType', type: "'DPoP' | 'Bearer' | null", readonly: true, description: "How the access token is sent: DPoP when it is bound to the element's key, Bearer, or null when signed out." },
  { name: 'profile', type: 'AnypointProfile | null', readonly: true, description: "The signed-in user's claims, or null." },
];

export const methods = [
  { name: 'signIn', description: 'Starts a sign-in, as a click on the button does.' },
  { name: 'fetch', parameters: 'input: RequestInfo | URL, init?: RequestInit', returns: 'Promise<Response>',
    description: "fetch() with the session's access token: Authorization: DPoP and a fresh DPoP proof when the tokens are bound, Bearer otherwise. Only to the fetchorigins (else it rejects with code fetch_refused, nothing sent; not signed in: not_signed_in). Renews first when the token is about to expire; a 401 with error=\"invalid_token\" is renewed and retried once, a DPoP nonce challenge retried once with the nonce. No answer: it rejects as fetch() does, with code network_error (the page's own abort is passed on as it is)." },
  { name: 'signOut', description: 'Forgets the session and revokes its tokens (best effort; with exchangeuri, the backend revokes its refresh token and clears its cookie).' },
];

const optionalStrings = (described) =>
  Object.entries(described).map(([name, description]) => ({ name, type: 'string', optional: true, description }));

// Interfaces for event details; `fields` become both the TypeScript interface and the manifest's text.
export const types = {
  AnypointProfile: {
    description: 'OpenID Connect standard claims of the signed-in user, from the id_token and the userinfo endpoint.',
    fields: optionalStrings({
      sub: "The user's identifier at the issuer.",
      name: 'Full name.',
      given_name: 'Given name.',
      family_name: 'Family name.',
      preferred_username: 'Anypoint user name.',
      email: 'E-mail address.',
    }),
  },
  AnypointSigninDetail: {
    description: 'The session, after a sign-in or when a stored session is restored.',
    fields: [
      { name: 'accessToken', type: 'string', description: 'The access token.' },
      { name: 'tokenType', type: "'DPoP' | 'Bearer'", description: "`DPoP` when the tokens are bound to the element's key (send requests with element.fetch()), else `Bearer`." },
      { name: 'expiresAt', type: 'number | null', description: 'When the access token expires, in milliseconds since the epoch.' },
      { name: 'scope', type: 'string', description: 'Granted scopes, space-separated.' },
      { name: 'idToken', type: 'string | null', description: 'The raw id_token, when there is one.' },
      { name: 'profile', type: 'AnypointProfile', description: "The user's profile." },
      { name: 'dpopJkt', type: 'string', optional: true, description: "When tokenType is DPoP: the thumbprint (RFC 7638) of the element's key, which the tokens' cnf.jkt names." },
    ],
  },
  AnypointSigninErrorDetail: {
    description: 'A failure, also logged with console.error and shown in the element.',
    fields: [
      { name: 'code', type: 'AnypointSigninErrorCode', description: 'Stable error code.' },
      { name: 'message', type: 'string', description: 'Human-readable message.' },
    ],
  },
  AnypointCodeExchangeDetail: {
    description: 'Offered before the code exchange. Call event.preventDefault() and, during the handler, detail.respondWith(tokenResponseOrPromise) to do the exchange yourself.',
    fields: [
      { name: 'code', type: 'string', description: 'The authorization code.' },
      { name: 'codeVerifier', type: 'string', description: 'The PKCE code verifier.' },
      { name: 'redirectUri', type: 'string', description: 'The redirect URI the code was issued for.' },
      { name: 'clientId', type: 'string', description: "The connected app's client ID." },
      { name: 'tokenEndpoint', type: 'string', description: "The authorization server's token endpoint." },
      { name: 'respondWith', type: '(tokenResponse: AnypointTokenResponse | Promise<AnypointTokenResponse>) => void',
        description: 'Hands the token response (or a promise of it) to the element.' },
    ],
  },
  AnypointEarlierCodeExchangeDetail: {
    description: "The earlier element's code exchange: the same fields as anypoint-code-exchange's, and `result` for the answer.",
    fields: [
      { name: 'code', type: 'string', description: 'The authorization code (also `event.code`).' },
      { name: 'codeVerifier', type: 'string', description: 'The PKCE code verifier: the token request must carry it.' },
      { name: 'redirectUri', type: 'string', description: 'The redirect URI the code was issued for.' },
      { name: 'clientId', type: 'string', description: "The connected app's client ID." },
      { name: 'tokenEndpoint', type: 'string', description: "The authorization server's token endpoint." },
      { name: 'result', type: 'AnypointEarlierToken | Promise<AnypointEarlierToken>', optional: true,
        description: 'Set by the handler: the token the exchange gave.' },
    ],
  },
  AnypointEarlierToken: {
    description: "The token object of the earlier element's anypointcodeexchange.",
    fields: [
      { name: 'accessToken', type: 'string', description: 'The access token.' },
      { name: 'tokenType', type: 'string', optional: true, description: '`Bearer` (the default).' },
      { name: 'expiresIn', type: 'number', optional: true, description: 'Lifetime in seconds.' },
      { name: 'scope', type: 'string', optional: true, description: 'Granted scopes.' },
      { name: 'idToken', type: 'string', optional: true, description: 'The id_token, which an openid sign-in requires.' },
      { name: 'refreshToken', type: 'string', optional: true, description: 'Not kept: only the backend can use it.' },
    ],
  },
  AnypointTokenResponse: {
    description: 'An OAuth 2.0 token response (RFC 6749 §5.1), as the token endpoint returns it.',
    fields: [
      { name: 'access_token', type: 'string', description: 'The access token.' },
      { name: 'token_type', type: 'string', description: '`Bearer` (a page that exchanges the code itself sends no DPoP proof of the element\'s key).' },
      { name: 'expires_in', type: 'number', optional: true, description: 'Lifetime in seconds.' },
      { name: 'scope', type: 'string', optional: true, description: 'Granted scopes.' },
      { name: 'id_token', type: 'string', optional: true, description: 'The id_token (OpenID Connect).' },
      { name: 'refresh_token', type: 'string', optional: true, description: 'A refresh token (kept out of events).' },
    ],
  },
  AnypointSignoutDetail: {
    description: 'Why the session ended.',
    fields: [{ name: 'reason', type: "'user' | 'expired'",
      description: 'user: the sign-out button or signOut(); expired: the token expired and could not be renewed.' }],
  },
  AnypointValueDetail: {
    typeParameter: 'T',
    description: "The earlier element's change events.",
    fields: [{ name: 'value', type: 'T', description: 'The new value.' }],
  },
};

// The element's own codes (from the registry); the authorization server's OAuth error codes (access_denied, …)
// come through as they are.
export const errorCodes = registry.errorCodes;

// The descriptions of registry entries (keyed by name): every entry described, nothing described that the
// registry lacks.
function describe(kind, names, described) {
  const missing = names.filter((n) => !described[n]);
  const extra = Object.keys(described).filter((n) => !names.includes(n));
  if (missing.length || extra.length) {
    throw new Error(`www/meta/element.mjs: ${kind}: describe ${missing.join(', ') || 'nothing more'}; drop ${extra.join(', ') || 'nothing'}`);
  }
  return names.map((name) => ({ name, ...described[name] }));
}

// All bubble and are composed. `detail`: a key of `types` (with its type argument), or null. An event the
// registry lists with an alias is fired with the earlier element's name too (deprecated: kept for its pages).
const eventsDescribed = {
  'anypoint-signin': { detail: 'AnypointSigninDetail', description: 'After a sign-in, a renewal, and when a stored session is restored.' },
  'anypoint-signout': { detail: 'AnypointSignoutDetail', description: 'After sign-out, by the user or on expiry.' },
  'anypoint-signin-error': { detail: 'AnypointSigninErrorDetail', description: 'On every failure.' },
  'anypoint-code-exchange': { detail: 'AnypointCodeExchangeDetail', cancelable: true,
    description: 'Cancelable, before the code exchange: cancel it and call detail.respondWith() to exchange the code yourself.' },
  signedinchange: { detail: 'AnypointValueDetail<boolean>', description: 'signedIn changed (the earlier element\'s event).' },
  accesstokenchange: { detail: 'AnypointValueDetail<string | null>', description: 'accessToken changed (the earlier element\'s event).' },
  anypointsignin: { detail: 'AnypointSigninDetail', description: "The earlier element's anypoint-signin." },
  anypointsignout: { detail: 'AnypointSignoutDetail', description: "The earlier element's anypoint-signout." },
  anypointsigninawareerror: { detail: 'string', description: "The earlier element's error event: the message." },
  anypointcodeexchange: { detail: 'AnypointEarlierCodeExchangeDetail', cancelable: true,
    description: "The earlier element's code exchange: the code is event.code; set event.detail.result to (a promise of) the token, camelCase. Forward detail.codeVerifier to the token endpoint." },
};
const earlierOf = Object.fromEntries(registry.events.filter((e) => e.alias).map((e) => [e.alias, e.name]));
export const events = describe('events', registry.events.flatMap((e) => [e.name, ...(e.alias ? [e.alias] : [])]),
  eventsDescribed).map((e) => (earlierOf[e.name]
  ? { ...e, deprecated: `The earlier element's name for ${earlierOf[e.name]}, fired beside it for pages written for that element.` }
  : e));

export const cssParts = describe('CSS parts', registry.cssParts, {
  container: { description: 'The box around everything the element shows.' },
  button: { description: 'The sign-in and sign-out buttons.' },
  signout: { description: 'The sign-out button (also has the `button` part).' },
  user: { description: 'Who is signed in: avatar and name.' },
  error: { description: 'The error message (and the session-expired notice).' },
  avatar: { description: "The signed-in user's initials." },
  name: { description: 'The signed-in line with the name.' },
  mark: { description: 'The Anypoint mark in the sign-in button.' },
  status: { description: 'The visually hidden role=status live region.' },
});

// All optional and inherited: set them on the element or an ancestor.
export const cssProperties = describe('CSS custom properties', registry.cssProperties, {
  '--anypoint-signin-bg': { description: 'Background of the buttons and the signed-in line.' },
  '--anypoint-signin-color': { description: 'Text colour.' },
  '--anypoint-signin-border': { description: "The buttons' border colour." },
  '--anypoint-signin-radius': { description: 'Corner radius (overrides shape).' },
  '--anypoint-signin-font': { description: 'Font family.' },
  '--anypoint-signin-font-weight': { description: 'Font weight.' },
  '--anypoint-signin-focus': { description: 'The focus ring colour.' },
  '--anypoint-signin-accent': { description: 'The mark and the avatar.' },
});
