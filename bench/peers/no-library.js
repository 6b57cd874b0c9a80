// No library: the same job in a few hand-written lines. PKCE and state, discovery fetched ahead of the click,
// the callback's state and issuer checked, the code exchanged, userinfo for the name. What it leaves out
// against the libraries: no nonce and no id_token checks.
import { isCallback, view } from './view.js';

const host = document.getElementById('signin');
const { clientid: clientId, redirecturi: redirectUri, authority } = host.dataset;
const ui = view(host);
const server = fetch(`${authority}/.well-known/openid-configuration`).then((r) => r.json());
const KEY = 'peer-no-library';
const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c]);
const random = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
const json = async (response) => {
  const body = await response.json();
  if (!response.ok) throw new Error(body.error_description ?? body.error ?? response.status);
  return body;
};

async function signIn() {
  const verifier = random();
  const state = random();
  sessionStorage.setItem(KEY, JSON.stringify({ verifier, state }));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  location.assign(`${(await server).authorization_endpoint}?${new URLSearchParams({ client_id: clientId,
    redirect_uri: redirectUri, response_type: 'code', scope: 'openid profile email', state,
    code_challenge: challenge, code_challenge_method: 'S256' })}`);
}

async function callback() {
  const query = new URLSearchParams(location.search);
  const { verifier, state } = JSON.parse(sessionStorage.getItem(KEY) ?? '{}');
  sessionStorage.removeItem(KEY);
  history.replaceState(null, '', location.pathname);
  const as = await server;
  if (!state || query.get('state') !== state) throw new Error('state mismatch');
  if (query.get('iss') !== as.issuer) throw new Error('issuer mismatch');
  if (!query.has('code')) throw new Error(query.get('error'));
  const tokens = await json(await fetch(as.token_endpoint, { method: 'POST', body: new URLSearchParams({
    grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri, client_id: clientId,
    code_verifier: verifier }) }));
  const info = await json(await fetch(as.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } }));
  ui.signedIn(info.name, tokens.access_token, async () => {});
}

ui.signedOut(() => signIn().catch(ui.fail));
if (isCallback()) {
  ui.busy();
  callback().catch(ui.fail);
}
