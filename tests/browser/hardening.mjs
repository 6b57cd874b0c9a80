// What the hardening suites (hardening.test.mjs, token-answers.test.mjs) share: answers altered on the wire,
// forged tokens, a hostile authorization server, and waits on the element's storage and events.
import { EVENTS, events, foreignServer } from './support.mjs';

export const CORS = { 'access-control-allow-origin': '*' };
export const isToken = (url) => url.pathname.endsWith('/token');
export const grantOf = (route) => new URLSearchParams(route.request().postData() ?? '').get('grant_type');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The elements of configured.html, from its next load on (a cookie, so it can be set before the first one).
export const configure = (page, origin, elements) => page.context().addCookies([{ name: 'test-elements',
  value: encodeURIComponent(JSON.stringify(elements)), url: origin }]);

// Until the element has either signed in or failed; the first such event.
export async function settled(page, timeout = 15000) {
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'anypoint-signin' || e.type === 'anypoint-signin-error'),
    null, { timeout });
  return (await events(page)).find((e) => e.type === 'anypoint-signin' || e.type === 'anypoint-signin-error');
}

// Whether `fn(arg)` becomes true in the page within `timeout` ms.
export const becomes = (page, fn, arg, timeout) => page.waitForFunction(fn, arg, { timeout }).then(() => true, () => false);

export const pendingKeys = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('anypoint-signin:pending:')));
export const sessionKeys = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('anypoint-signin:session:')));

// An id_token with `claims` and a signature nobody made: the element checks claims, not signatures (SECURITY.md).
export const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const forge = (claims) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
export const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

// The real server's answers to the `grant` requests of the token endpoint, as `change(json)` rewrites them.
// A refusal passes as it is: a DPoP nonce challenge (use_dpop_nonce) is the element's to answer.
export function rewriteTokens(page, grant, change) {
  return page.route(isToken, async (route) => {
    if (grantOf(route) !== grant) return route.continue();
    const response = await route.fetch();
    if (!response.ok()) return route.fulfill({ response });
    route.fulfill({ response, json: change(await response.json()) });
  });
}

// Listens on the element itself, then takes it out of the document (whose listeners no longer hear it):
// what it fires from then on is in window.__after.
export const removeListened = (page) => page.evaluate((names) => {
  const el = document.getElementById('signin');
  window.__after = [];
  for (const type of names) el.addEventListener(type, () => window.__after.push(type));
  el.remove();
}, EVENTS);

// A hostile authorization server: a discovery document naming itself as issuer, with its own endpoints.
export const hostileServer = () => foreignServer((request, url) => {
  if (request.path !== '/oauth2/.well-known/openid-configuration') return { status: 400, json: { error: 'invalid_grant' } };
  const at = (path) => `${url}/oauth2/${path}`;
  return { status: 200, json: { issuer: `${url}/oauth2`, authorization_endpoint: at('authorize'), token_endpoint: at('token'),
    userinfo_endpoint: at('userinfo'), revocation_endpoint: at('revoke'), response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'] } };
});
export const tokenRequestsTo = (server) => server.requests.filter((r) => r.path.endsWith('/token')).map((r) => `${r.method} ${r.body}`);
