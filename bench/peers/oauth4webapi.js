// oauth4webapi 3, wired by hand as a site would: discovery fetched ahead of the click, PKCE, state and nonce
// kept in sessionStorage, the callback validated and exchanged, the id_token's claims checked, userinfo for
// the name, the address bar cleaned, the user shown, and the page's event.
import * as oauth from 'oauth4webapi';
import { isCallback, view } from './view.js';

const host = document.getElementById('signin');
const ui = view(host);
const client = { client_id: host.dataset.clientid };
const redirectUri = host.dataset.redirecturi;
// The local server is plain http on loopback; the library refuses http unless told.
const http = { [oauth.allowInsecureRequests]: true };
const issuer = new URL(host.dataset.authority);
const server = oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...http })
  .then((response) => oauth.processDiscoveryResponse(issuer, response));
const KEY = 'peer-oauth4webapi';

async function signIn() {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  sessionStorage.setItem(KEY, JSON.stringify({ verifier, state, nonce }));
  const url = new URL((await server).authorization_endpoint);
  url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: redirectUri, response_type: 'code',
    scope: 'openid profile email', state, nonce, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(url);
}

async function callback() {
  const { verifier, state, nonce } = JSON.parse(sessionStorage.getItem(KEY) ?? '{}');
  sessionStorage.removeItem(KEY);
  const as = await server;
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), state);
  history.replaceState(null, '', location.pathname);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, http);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  const { sub } = oauth.getValidatedIdTokenClaims(tokens);
  const info = await oauth.processUserInfoResponse(as, client, sub,
    await oauth.userInfoRequest(as, client, tokens.access_token, http));
  ui.signedIn(info.name, tokens.access_token, async () => {});
}

ui.signedOut(() => signIn().catch(ui.fail));
if (isCallback()) {
  ui.busy();
  callback().catch(ui.fail);
}
