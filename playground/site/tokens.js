// The token inspector: who is signed in, the tokens decoded, the granted scopes and a countdown to expiry.
import { countdown, scopeChips, tokenView } from './inspect.js';

const $ = (id) => document.getElementById(id);
let expiresAt = null;

// `requested`: the scopes the configuration asks for, beside the granted ones.
export function showTokens(d, requested = []) {
  expiresAt = d?.expiresAt ?? null;
  $('tokens').hidden = !d;
  $('tokens-empty').hidden = Boolean(d);
  $('state').textContent = d ? `Signed in as ${d.profile?.name ?? d.profile?.sub ?? 'an Anypoint user'}` : 'Signed out';
  $('state').dataset.state = d ? 'in' : 'out';
  if (!d) {
    $('t-jwts').replaceChildren();
    $('t-call').textContent = '';
    tick();
    return;
  }
  $('t-user').textContent = [d.profile?.name, d.profile?.email].filter(Boolean).join(' · ') || d.profile?.sub || '—';
  $('t-type').textContent = d.tokenType ?? '—';
  $('t-expires').textContent = d.expiresAt ? new Date(d.expiresAt).toLocaleString() : '—';
  const granted = (d.scope ?? '').split(' ').filter(Boolean);
  $('t-scopes').replaceChildren(...scopeChips(granted, requested));
  const views = [];
  if (d.idToken) views.push(tokenView('id_token', d.idToken));
  if (d.accessToken) views.push(tokenView('Access token', d.accessToken));
  $('t-jwts').replaceChildren(...views);
  tick();
}

export function tick() {
  $('countdown').textContent = expiresAt ? `expires in ${countdown(expiresAt - Date.now())}` : '';
  $('countdown').classList.toggle('soon', Boolean(expiresAt) && expiresAt - Date.now() < 5 * 60 * 1000);
}

// What an app does with the session: an API call through element.fetch(), which adds the access token (and a
// fresh DPoP proof when the token is bound) and renews it first when due. Here: the issuer's userinfo.
export async function callUserinfo(issuer) {
  const out = $('t-call');
  out.textContent = 'calling…';
  try {
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    const response = await document.getElementById('signin').fetch(discovery.userinfo_endpoint);
    out.textContent = `HTTP ${response.status}\n${JSON.stringify(await response.json(), null, 2)}`;
  } catch (e) {
    out.textContent = `${e.code ?? e.name}: ${e.message}`;
  }
}
