// DPoP (RFC 9449), in Chromium against the real local authorization server, which advertises ES256 and asks its
// short-lived client for server nonces (playground/oidc-server.mjs): the proofs the element signs, checked as a
// server checks them; the tokens bound to a key the page cannot export, kept in IndexedDB with the session;
// renewal under the same key with the nonce challenge answered; element.fetch() and its allow-list; dpop="off"
// and "on"; and the token types a server may answer. What it protects against and what it does not: SECURITY.md.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { CONFIDENTIAL_CLIENT, PUBLIC_CLIENT, SHORT_LIVED_CLIENT } from '../../playground/oidc-server.mjs';
import { assertRefused, ath, dpopKeys, elementFetch, events, foreignServer, introspect, isNonceChallenge, jwtParts, launch,
  newPage, open, proofOf, signIn, site, thumbprint, waitForEvent, withoutNonceChallenges } from './support.mjs';
import { CORS, configure, isToken, rewriteTokens, sleep } from './hardening.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const CONFIGURED = () => `${demo.origin}/configured.html`;
const sessionKey = (clientId) => `anypoint-signin:session:${demo.issuer}:${clientId}`;
const userinfoUrl = () => `${demo.issuer}/userinfo`;
const tokenUrl = () => `${demo.issuer}/token`;
const grantOf = (request) => new URLSearchParams(request.postData() ?? '').get('grant_type');
const elementProperty = (page, name) => page.evaluate((n) => document.getElementById('signin')[n], name);

// Whether `jwt`'s ES256 signature verifies with `jwk` (raw r‖s, as JWS has it).
function signedBy(jwt, jwk) {
  const [header, payload, signature] = jwt.split('.');
  return verify('sha256', Buffer.from(`${header}.${payload}`), { key: createPublicKey({ key: jwk, format: 'jwk' }),
    dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
}

// Checks a proof ({jwt, header, payload}) as a server does (RFC 9449 §4.3): signed with the public EC P-256 key in
// its header, typ dpop+jwt, ES256, htm and htu, a recent iat, a jti. `token`: the ath it must carry (null: none;
// left out: not checked); `nonce` likewise; `jkt`: the key it must be signed with. Returns the key's thumbprint.
function assertProof(proof, { htm, htu, token, nonce, jkt }) {
  assert.ok(proof, `a DPoP proof for ${htm} ${htu}`);
  const { header, payload } = proof;
  assert.equal(header.typ, 'dpop+jwt');
  assert.equal(header.alg, 'ES256');
  assert.deepEqual([header.jwk?.kty, header.jwk?.crv, header.jwk?.d], ['EC', 'P-256', undefined], 'a public P-256 key');
  assert.ok(signedBy(proof.jwt, header.jwk), 'the signature verifies with the key in the header');
  assert.equal(payload.htm, htm);
  assert.equal(payload.htu, htu, 'htu: the URL without query and fragment');
  assert.ok(typeof payload.iat === 'number' && Math.abs(payload.iat - Date.now() / 1000) < 120, `iat ${payload.iat}`);
  assert.ok(typeof payload.jti === 'string' && payload.jti.length >= 16, `jti ${payload.jti}`);
  if (token !== undefined) assert.equal(payload.ath, token === null ? undefined : ath(token), 'ath');
  if (nonce !== undefined) assert.equal(payload.nonce, nonce ?? undefined, 'nonce');
  const key = thumbprint(header.jwk);
  if (jkt) assert.equal(key, jkt, 'signed with the session\'s key');
  return key;
}

// A well-formed proof signed with a key of the test's own (what someone who copied a token could make).
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
function strangerProof(htm, htu, { token, nonce } = {}) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: stranger.publicKey.export({ format: 'jwk' }) })}.${b64({
    htm, htu, iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ...(token ? { ath: ath(token) } : {}), ...(nonce ? { nonce } : {}) })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: stranger.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

// The session's key, as IndexedDB holds it: its thumbprint.
async function sessionKeyThumbprint(page) {
  const keys = await dpopKeys(page);
  assert.equal(keys.length, 1, 'one DPoP key in IndexedDB');
  return thumbprint(keys[0].publicJwk);
}

// Serves the real discovery document with `change` applied (attacks.test.mjs does the same).
const alterDiscovery = (page, change) => page.route((url) => url.pathname.endsWith('/.well-known/openid-configuration'),
  async (route) => {
    const response = await route.fetch();
    route.fulfill({ response, json: change(await response.json()) });
  });

// Waits for an accesstokenchange whose token is none of `seen`, and returns it.
async function nextToken(page, seen) {
  await page.waitForFunction((old) => window.__events.some((e) => e.type === 'accesstokenchange' && e.detail.value && !old.includes(e.detail.value)),
    seen, { timeout: 20000 });
  return (await events(page, 'accesstokenchange')).map((e) => e.detail.value).find((v) => v && !seen.includes(v));
}

async function until(condition, what, timeout = 15000) {
  for (const deadline = Date.now() + timeout; !(await condition());) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

// An API on another loopback origin, as a site's would be: it records each request ({method, path, headers, body,
// token (the Authorization value's token), proof}) and answers as `answer(request, n)` says ({status, headers,
// json}; n: how many requests to that path came before); 200 by default. Its CORS lets pages send Authorization
// and DPoP and read WWW-Authenticate and DPoP-Nonce, which el.fetch() needs of an API on another origin.
async function resourceServer(answer = () => undefined) {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const cors = { 'access-control-allow-origin': req.headers.origin ?? '*', vary: 'origin' };
      if (req.method === 'OPTIONS') {
        return res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST, PUT, DELETE',
          'access-control-allow-headers': 'authorization, dpop, content-type', 'access-control-max-age': '0' }).end();
      }
      const path = req.url.split('?')[0];
      const [scheme, token] = (req.headers.authorization ?? '').split(' ');
      const jwt = req.headers.dpop;
      const request = { method: req.method, path: req.url, headers: req.headers, body, scheme, token,
        proof: jwt ? { jwt, ...jwtParts(jwt) } : null };
      const n = requests.filter((r) => r.path.split('?')[0] === path).length;
      requests.push(request);
      const { status = 200, headers = {}, json = { path } } = answer(request, n) ?? {};
      res.writeHead(status, { ...cors, 'access-control-expose-headers': 'www-authenticate, dpop-nonce',
        'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(json));
    });
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', ok); });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    to: (path) => requests.filter((r) => r.path.split('?')[0] === path),
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}

// The page's requests to the token endpoint, and those whose path `resource` takes, as they are made.
function requestsTo(page, resource) {
  const tokens = [];
  const resources = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('/token')) tokens.push(r);
    if (resource(path)) resources.push(r);
  });
  return [tokens, resources];
}

describe('sign-in with DPoP (dpop="auto" against a server listing ES256)', () => {
  test('the token request carries a proof; the token is bound to a non-extractable key kept in IndexedDB; the element presents it, nobody else can', async () => {
    const page = await newPage(browser);
    const [tokenRequests, userinfoRequests] = requestsTo(page, (path) => path.endsWith('/userinfo'));
    await open(page, CONFIGURED());
    await signIn(page);
    const signin = (await waitForEvent(page, 'anypoint-signin')).detail;
    const token = signin.accessToken;
    assert.equal(signin.tokenType, 'DPoP');
    assert.equal(await elementProperty(page, 'tokenType'), 'DPoP');

    // The code exchange's proof (one request: the public client is asked no nonce).
    assert.equal(tokenRequests.length, 1);
    const jkt = assertProof(proofOf(tokenRequests[0]), { htm: 'POST', htu: tokenUrl(), token: null, nonce: null });

    // The key: in IndexedDB under the session's storage key, not extractable, the one that signed.
    const [key, ...more] = await dpopKeys(page);
    assert.deepEqual(more, []);
    assert.equal(key.key, sessionKey(PUBLIC_CLIENT));
    assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('anypoint-signin:session:'))),
      [key.key], 'the key is stored under the session\'s own key');
    assert.deepEqual(key.algorithm, { name: 'ECDSA', namedCurve: 'P-256' });
    assert.equal(key.extractable, false);
    assert.deepEqual(key.usages, ['sign']);
    assert.equal(key.exportPrivate, 'InvalidAccessError', 'crypto.subtle.exportKey refuses the private key');
    assert.equal(thumbprint(key.publicJwk), jkt);

    // The server bound the access token to it.
    const info = await introspect(demo.issuer, token);
    assert.equal(info.active, true);
    assert.equal(info.cnf?.jkt, jkt, 'cnf.jkt is the stored key\'s thumbprint');
    assert.equal(signin.dpopJkt, jkt, 'the event names the key the tokens are bound to');

    // The element presents it: Authorization DPoP and a fresh proof with ath, on its own userinfo request too.
    const fetched = await elementFetch(page, userinfoUrl());
    assert.equal(fetched.status, 200, fetched.text);
    assert.equal(JSON.parse(fetched.text).sub, 'max.mule');
    assert.ok(userinfoRequests.length >= 1);
    const jtis = [];
    for (const r of userinfoRequests) {
      assert.equal((await r.allHeaders()).authorization, `DPoP ${token}`);
      const proof = proofOf(r);
      assertProof(proof, { htm: 'GET', htu: userinfoUrl(), token, jkt });
      jtis.push(proof.payload.jti);
    }
    assert.equal(new Set(jtis).size, jtis.length, 'a new jti for each request');

    // Copied out of the page, the token is worth nothing: without a proof (which the server asks for), with a
    // well-formed proof of another key (refused for the key: invalid_token, not invalid_dpop_proof), as Bearer.
    const userinfo = (headers) => fetch(userinfoUrl(), { headers });
    const bare = await userinfo({ authorization: `DPoP ${token}` });
    assert.deepEqual([bare.status, (await bare.json()).error], [400, 'invalid_request']);
    const forged = await userinfo({ authorization: `DPoP ${token}`, dpop: strangerProof('GET', userinfoUrl(), { token }) });
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get('www-authenticate') ?? '', /^DPoP .*error="invalid_token"/);
    assert.equal((await userinfo({ authorization: `Bearer ${token}` })).status, 401);
    assert.equal((await introspect(demo.issuer, token)).active, true, 'and still live for the page');
    assert.deepEqual(page.consoleErrors, []);
  });

  test('renewal keeps the binding: the refresh token and each new access token are bound to the one key, the nonce challenges are answered, and an expired token is renewed before element.fetch() sends it', async () => {
    const page = await newPage(browser);
    // The page's clock, to jump past the token's expiry without waiting (time flows as usual until then).
    await page.clock.install();
    const log = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('/token') || path.endsWith('/userinfo')) log.push({ path, grant: grantOf(r), request: r });
    });
    await open(page, `${demo.origin}/refresh.html`);
    await signIn(page);
    const first = (await waitForEvent(page, 'anypoint-signin')).detail;
    assert.equal(first.tokenType, 'DPoP');
    const jkt = await sessionKeyThumbprint(page);
    assert.equal((await dpopKeys(page))[0].key, sessionKey(SHORT_LIVED_CLIENT));

    // The code exchange: challenged for a nonce (this client must send one), sent again once, with it.
    const exchanges = log.filter((e) => e.grant === 'authorization_code').map((e) => e.request);
    assert.equal(exchanges.length, 2, 'the exchange, and once more with the nonce');
    const challenge = await exchanges[0].response();
    assert.ok(await isNonceChallenge(challenge), 'the first was answered use_dpop_nonce');
    assertProof(proofOf(exchanges[0]), { htm: 'POST', htu: tokenUrl(), token: null, nonce: null, jkt });
    assertProof(proofOf(exchanges[1]), { htm: 'POST', htu: tokenUrl(), token: null, nonce: challenge.headers()['dpop-nonce'], jkt });
    assert.equal((await exchanges[1].response()).status(), 200);

    // The refresh token (public client) is bound too: copied out of storage, it renews nothing without the key,
    // not even with a well-formed proof of another key and the server's nonce; and the attempts spend nothing.
    const refreshToken = await page.evaluate((k) => JSON.parse(sessionStorage.getItem(k)).refreshToken, sessionKey(SHORT_LIVED_CLIENT));
    assert.ok(refreshToken, 'a refresh token is kept (offline_access)');
    assert.equal((await introspect(demo.issuer, refreshToken)).cnf?.jkt, jkt, 'the refresh token is bound to the key');
    const steal = (dpop) => fetch(tokenUrl(), { method: 'POST', headers: dpop ? { dpop } : {},
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: SHORT_LIVED_CLIENT }) });
    const bare = await steal();
    assert.deepEqual([bare.status, (await bare.json()).error], [400, 'invalid_grant']);
    const asked = await steal(strangerProof('POST', tokenUrl()));
    assert.deepEqual([asked.status, (await asked.json()).error], [400, 'use_dpop_nonce']);
    const forged = await steal(strangerProof('POST', tokenUrl(), { nonce: asked.headers.get('dpop-nonce') }));
    assert.deepEqual([forged.status, (await forged.json()).error], [400, 'invalid_grant']);

    // The renewal (a quarter of the 6 s lifetime before expiry): a proof with the server's nonce, the same key.
    const renewed = await nextToken(page, [first.accessToken]);
    const info = await introspect(demo.issuer, renewed);
    assert.equal(info.active, true);
    assert.equal(info.cnf?.jkt, jkt, 'the renewed token is bound to the same key');
    const refreshes = await withoutNonceChallenges(log.filter((e) => e.grant === 'refresh_token').map((e) => e.request));
    assert.ok(refreshes.length >= 1);
    for (const r of refreshes) {
      assertProof(proofOf(r), { htm: 'POST', htu: tokenUrl(), token: null, jkt });
      assert.ok(proofOf(r).payload.nonce, 'the refresh carried the server\'s nonce');
    }
    assert.equal(await sessionKeyThumbprint(page), jkt, 'still the one key');

    // The page's clock jumps 30 s (no timer fires): its token has expired, and element.fetch() renews first.
    const before = (await events(page, 'accesstokenchange')).map((e) => e.detail.value).filter(Boolean);
    const from = log.length;
    await page.clock.setSystemTime(Date.now() + 30000);
    const fetched = await elementFetch(page, userinfoUrl());
    assert.equal(fetched.status, 200, fetched.text);
    const since = log.slice(from);
    const call = since.findLastIndex((e) => e.path.endsWith('/userinfo'));
    const refresh = since.findIndex((e) => e.grant === 'refresh_token');
    assert.ok(refresh >= 0 && refresh < call, `a refresh before the request: ${since.map((e) => e.grant ?? e.path)}`);
    const sent = (await since[call].request.allHeaders()).authorization.replace(/^DPoP /, '');
    assert.ok(!before.includes(sent), 'the request carried a token renewed after the jump');
    assert.equal(sent, await elementProperty(page, 'accessToken'));
    assertProof(proofOf(since[call].request), { htm: 'GET', htu: userinfoUrl(), token: sent, jkt });

    // Three requests at once with a token near its expiry: each renews first, never two with one refresh token
    // (the server takes a rotated refresh token spent twice for a theft, and revokes the grant).
    const burst = log.length;
    const statuses = await page.evaluate((url) => Promise.all([1, 2, 3].map(() => document.getElementById('signin').fetch(url)
      .then((r) => r.status, (e) => e.code))), userinfoUrl());
    assert.deepEqual(statuses, [200, 200, 200]);
    const spent = (await withoutNonceChallenges(log.slice(burst).filter((e) => e.grant === 'refresh_token').map((e) => e.request)))
      .map((r) => new URLSearchParams(r.postData()).get('refresh_token'));
    assert.ok(spent.length >= 1, 'renewed');
    assert.equal(new Set(spent).size, spent.length, `no refresh token sent twice (${spent.length} renewals)`);
    assert.deepEqual(await events(page, 'anypoint-signin-error'), []);
    assert.equal(await elementProperty(page, 'signedIn'), true);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close(); // its renewals would go on
  });

  test('storage="session": the key survives a reload and is deleted at sign-out, whose revocation carries a proof; storage="memory": never in IndexedDB', async () => {
    const page = await newPage(browser);
    await open(page, CONFIGURED());
    await signIn(page);
    const signin = (await waitForEvent(page, 'anypoint-signin')).detail;
    const jkt = await sessionKeyThumbprint(page);

    await page.reload();
    const restored = (await waitForEvent(page, 'anypoint-signin')).detail;
    assert.equal(restored.accessToken, signin.accessToken);
    assert.equal(restored.tokenType, 'DPoP');
    assert.equal(await elementProperty(page, 'tokenType'), 'DPoP');
    assert.equal(await sessionKeyThumbprint(page), jkt, 'the same key after the reload');
    assert.equal((await elementFetch(page, userinfoUrl())).status, 200, 'and it still signs for the token');

    const revocation = page.waitForRequest((r) => r.url().endsWith('/revoke'));
    await page.evaluate(() => document.getElementById('signin').signOut());
    assert.equal((await waitForEvent(page, 'anypoint-signout')).detail.reason, 'user');
    assertProof(proofOf(await revocation), { htm: 'POST', htu: `${demo.issuer}/revoke`, jkt });
    await until(async () => !(await introspect(demo.issuer, signin.accessToken)).active, 'the token is revoked');
    assert.deepEqual(await dpopKeys(page), [], 'the key is deleted at sign-out');
    assert.equal(await elementProperty(page, 'tokenType'), null);
    assert.equal((await elementFetch(page, userinfoUrl())).rejected?.code, 'not_signed_in');

    const memory = await newPage(browser);
    await configure(memory, demo.origin, [{ id: 'signin', storage: 'memory' }]);
    await open(memory, CONFIGURED());
    await signIn(memory);
    const inMemory = (await waitForEvent(memory, 'anypoint-signin')).detail;
    assert.equal(inMemory.tokenType, 'DPoP');
    assert.ok((await introspect(demo.issuer, inMemory.accessToken)).cnf?.jkt, 'bound');
    assert.equal((await elementFetch(memory, userinfoUrl())).status, 200);
    assert.deepEqual(await dpopKeys(memory), [], 'storage="memory": the key is in memory only');
    assert.deepEqual(await memory.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes(':session:'))), []);
  });

  test('a session ends with its own key only: the key a later sign-in kept under the same name stays', async () => {
    const page = await newPage(browser);
    await open(page, CONFIGURED());
    await signIn(page);
    const signin = (await waitForEvent(page, 'anypoint-signin')).detail;
    // Another tab signs in again meanwhile (this one frozen in the background): its key replaces this one's.
    const later = await page.evaluate(async (name) => {
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
      const db = await new Promise((ok) => { const r = indexedDB.open('anypoint-signin'); r.onsuccess = () => ok(r.result); });
      await new Promise((ok) => {
        const tx = db.transaction('dpop-keys', 'readwrite');
        tx.objectStore('dpop-keys').put({ privateKey: pair.privateKey, publicKey: pair.publicKey, jkt: 'a-later-sign-in' }, name);
        tx.oncomplete = ok;
      });
      db.close();
      return name;
    }, (await dpopKeys(page))[0].key);
    // This session can no longer sign: said, not sent with another session's key.
    const refused = await elementFetch(page, userinfoUrl());
    assert.equal(refused.rejected?.code, 'renewal_failed', JSON.stringify(refused));
    assert.match(refused.rejected.message, /DPoP key is gone/);
    await page.evaluate(() => document.getElementById('signin').signOut());
    await waitForEvent(page, 'anypoint-signout');
    assert.deepEqual((await dpopKeys(page)).map((k) => k.key), [later], 'the later sign-in\'s key is kept');
    assert.ok(signin.dpopJkt);
  });
});

describe('element.fetch()', () => {
  test('sends the token and a fresh proof to an allowed origin; retries once on use_dpop_nonce and once, renewed, on invalid_token; refuses anything else, sending nothing', async (t) => {
    const rs = await resourceServer((request, n) => {
      const path = request.path.split('?')[0];
      const challenge = (error, headers = {}) => ({ status: 401, json: { error },
        headers: { 'www-authenticate': `DPoP error="${error}", algs="ES256"`, ...headers } });
      if (path === '/data') return { json: { got: request.body }, headers: { 'dpop-nonce': 'rs-nonce-0' } };
      if (path === '/nonce' && request.proof?.payload.nonce !== 'rs-nonce-1') return challenge('use_dpop_nonce', { 'dpop-nonce': 'rs-nonce-1' });
      if (path === '/nonce-always') return challenge('use_dpop_nonce', { 'dpop-nonce': `rs-nonce-${2 + n}` });
      if (path === '/stale' && n === 0) return challenge('invalid_token');
      if (path === '/stale-always') return challenge('invalid_token');
      return undefined;
    });
    t.after(rs.close);
    const thief = await foreignServer();
    t.after(thief.close);
    const page = await newPage(browser);
    const refreshes = [];
    const sent = [];
    page.on('request', (r) => {
      if (isToken(new URL(r.url())) && grantOf(r) === 'refresh_token') refreshes.push(r);
      sent.push(r.url());
    });
    // Tokens of an hour, a refresh token (offline_access), and only the API's origin allowed.
    await configure(page, demo.origin, [{ id: 'signin', scopes: 'openid profile email offline_access', fetchorigins: rs.url }]);
    await open(page, CONFIGURED());
    // The codes of the error events so far, once there are `count` of them.
    const errors = async (count) => {
      await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'anypoint-signin-error').length >= n, count);
      return (await events(page, 'anypoint-signin-error')).map((e) => e.detail.code);
    };

    // Before signing in: rejected with not_signed_in, an error event, a console error, nothing sent.
    const early = await elementFetch(page, `${rs.url}/early`);
    assert.deepEqual([early.rejected?.code, early.rejected?.error], ['not_signed_in', true]);
    assert.deepEqual(await errors(1), ['not_signed_in']);
    assert.ok(page.consoleErrors.some((m) => m.includes('not_signed_in')));
    assert.deepEqual(rs.requests, []);
    // What fetch() itself cannot make a request of (a URL that will not stringify, a GET with a body, a method
    // that is no token): refused as fetch_refused, with the browser's reason, the same way.
    const malformed = await page.evaluate((api) => Promise.all([
      [{ toString() { throw new Error('no URL here'); } }],
      [`${api}/x`, { method: 'GET', body: 'a body' }],
      [`${api}/x`, { method: 'BAD METHOD' }],
    ].map((args) => document.getElementById('signin').fetch(...args).then(() => 'sent', (e) => `${e.code}: ${e.message}`))), rs.url);
    for (const outcome of malformed) assert.match(outcome, /^fetch_refused: element\.fetch\(\) could not make the request: \S/);
    assert.match(malformed[0], /no URL here/);
    assert.deepEqual(await errors(4), ['not_signed_in', 'fetch_refused', 'fetch_refused', 'fetch_refused']);
    assert.deepEqual(rs.requests, []);
    page.consoleErrors = [];

    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    const jkt = await sessionKeyThumbprint(page);
    const token = () => elementProperty(page, 'accessToken');

    // The page's request as it asked (method, headers, body), with the token and a proof of this request.
    const first = await token();
    const data = await elementFetch(page, `${rs.url}/data?page=2#top`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.equal(data.status, 200);
    assert.deepEqual(JSON.parse(data.text), { got: '{"a":1}' });
    const [posted] = rs.to('/data');
    assert.deepEqual([posted.method, posted.path, posted.headers['content-type'], posted.body],
      ['POST', '/data?page=2', 'application/json', '{"a":1}']);
    assert.deepEqual([posted.scheme, posted.token], ['DPoP', first]);
    assertProof(posted.proof, { htm: 'POST', htu: `${rs.url}/data`, token: first, nonce: null, jkt });

    // use_dpop_nonce: once more with the nonce; the origin's latest nonce goes with its next requests.
    const nonced = await elementFetch(page, `${rs.url}/nonce`);
    assert.equal(nonced.status, 200);
    assert.deepEqual(rs.to('/nonce').map((r) => r.proof?.payload.nonce), ['rs-nonce-0', 'rs-nonce-1'],
      'the nonce of the last answer, then the one the challenge gave');
    assert.notEqual(rs.to('/nonce')[0].proof.payload.jti, rs.to('/nonce')[1].proof.payload.jti);
    assert.equal((await elementFetch(page, `${rs.url}/later`)).status, 200);
    assert.equal(rs.to('/later')[0].proof.payload.nonce, 'rs-nonce-1');
    const looping = await elementFetch(page, `${rs.url}/nonce-always`);
    assert.equal(looping.status, 401, 'a second challenge is the page\'s answer');
    assert.equal(rs.to('/nonce-always').length, 2, 'retried once, not in a loop');

    // invalid_token: renewed once, sent once more with the new token.
    assert.equal(refreshes.length, 0);
    const stale = await elementFetch(page, `${rs.url}/stale`);
    assert.equal(stale.status, 200);
    const [old, fresh] = rs.to('/stale');
    assert.equal(old.token, first);
    assert.notEqual(fresh?.token, first, 'the retry carries a renewed token');
    assert.equal(fresh.token, await token());
    assertProof(fresh.proof, { htm: 'GET', htu: `${rs.url}/stale`, token: fresh.token, jkt });
    assert.equal((await withoutNonceChallenges(refreshes)).length, 1, 'one renewal');
    assert.equal((await introspect(demo.issuer, fresh.token)).cnf?.jkt, jkt);
    const refused = await elementFetch(page, `${rs.url}/stale-always`);
    assert.equal(refused.status, 401, 'a second invalid_token is the page\'s answer');
    await sleep(500);
    assert.equal(rs.to('/stale-always').length, 2, 'retried once, not in a loop');
    assert.equal((await withoutNonceChallenges(refreshes)).length, 2, 'one more renewal, no more');
    // (The sign-in's navigation began a new record of events.)
    assert.deepEqual(await errors(0), [], 'answers of the API are the page\'s, not the element\'s errors');

    // Outside fetchorigins (which replaces the default, the issuer's and the page's origins): refused, nothing sent.
    const host = (url) => url.slice('http://'.length);
    const before = sent.length;
    for (const url of [`${thief.url}/steal`, userinfoUrl(), '/api/elsewhere', `http://${host(rs.url)}@${host(thief.url)}/steal`]) {
      const outcome = await elementFetch(page, url);
      assert.deepEqual([outcome.rejected?.code, outcome.rejected?.error], ['fetch_refused', true], `${url}: ${JSON.stringify(outcome)}`);
    }
    assert.deepEqual(sent.slice(before), [], 'no request');
    assert.deepEqual(thief.requests, []);
    assert.deepEqual(await errors(4), ['fetch_refused', 'fetch_refused', 'fetch_refused', 'fetch_refused']);
    assert.ok(page.consoleErrors.some((m) => m.includes('fetch_refused')), 'logged to the console');
    assert.equal(await elementProperty(page, 'signedIn'), true, 'still signed in');

    // The page's own abort is passed on as fetch() passes it, no error of the element's; an API that is down
    // rejects as fetch() does (a TypeError), with the code network_error, said as every failure is.
    const aborted = await page.evaluate((api) => {
      const abort = new AbortController();
      abort.abort();
      return document.getElementById('signin').fetch(`${api}/aborted`, { signal: abort.signal })
        .then(() => 'sent', (e) => [e.name, e.code === 'network_error']);
    }, rs.url);
    assert.deepEqual(aborted, ['AbortError', false]);
    await rs.close();
    const down = await page.evaluate((api) => document.getElementById('signin').fetch(`${api}/down`)
      .then(() => 'sent', (e) => [e.name, e.code]), rs.url);
    assert.deepEqual(down, ['TypeError', 'network_error']);
    assert.deepEqual(await errors(5), ['fetch_refused', 'fetch_refused', 'fetch_refused', 'fetch_refused', 'network_error']);
  });
});

describe('dpop="off" and servers without DPoP', () => {
  test('dpop="off": no proof, a Bearer token, which works from anywhere; element.fetch() sends it as Bearer to the default origins', async (t) => {
    const thief = await foreignServer();
    t.after(thief.close);
    const page = await newPage(browser);
    // The page's own origin is a default one too: its requests for /index.html count beside userinfo's.
    const [tokenRequests, userinfoRequests] =
      requestsTo(page, (path) => path.endsWith('/userinfo') || path === '/index.html');
    await configure(page, demo.origin, [{ id: 'signin', dpop: 'off' }]);
    await open(page, CONFIGURED());
    await signIn(page);
    const signin = (await waitForEvent(page, 'anypoint-signin')).detail;
    assert.equal(signin.tokenType, 'Bearer');
    assert.equal(await elementProperty(page, 'tokenType'), 'Bearer');
    assert.deepEqual(tokenRequests.map(proofOf), [null], 'the token request carried no proof');
    assert.equal((await introspect(demo.issuer, signin.accessToken)).cnf, undefined, 'not bound');
    const fromNode = await fetch(userinfoUrl(), { headers: { authorization: `Bearer ${signin.accessToken}` } });
    assert.equal(fromNode.status, 200);
    assert.deepEqual(await dpopKeys(page), [], 'no key');

    // The default origins: the issuer's and the page's own.
    assert.equal((await elementFetch(page, userinfoUrl())).status, 200);
    assert.equal((await elementFetch(page, '/index.html')).status, 200);
    for (const r of userinfoRequests) {
      assert.equal((await r.allHeaders()).authorization, `Bearer ${signin.accessToken}`, r.url());
      assert.equal(proofOf(r), null, `${r.url()} carried no proof`);
    }
    assert.ok(userinfoRequests.some((r) => r.url() === `${demo.origin}/index.html`));
    assert.equal((await elementFetch(page, `${thief.url}/steal`)).rejected?.code, 'fetch_refused');
    assert.deepEqual(thief.requests, []);
    assert.deepEqual(page.consoleWarnings.filter((w) => /DPoP/.test(w)), []);
  });

  for (const [what, change] of [
    ['lists no dpop_signing_alg_values_supported', ({ dpop_signing_alg_values_supported: _, ...rest }) => rest],
    ['lists other algorithms only', (d) => ({ ...d, dpop_signing_alg_values_supported: ['EdDSA', 'es256'] })],
  ]) {
    test(`dpop="on" against a server whose discovery ${what}: discovery_failed on the click, the page not left`, async () => {
      const page = await newPage(browser);
      await alterDiscovery(page, change);
      await configure(page, demo.origin, [{ id: 'signin', dpop: 'on' }]);
      await open(page, CONFIGURED());
      await page.locator('#signin button').click();
      const error = await assertRefused(page, 'discovery_failed');
      assert.match(error.detail.message, /dpop="on"/);
      assert.deepEqual(page.navigations.filter((u) => u.pathname.endsWith('/authorize')), [], 'no authorize request');
      assert.equal(page.url(), CONFIGURED());
    });
  }

  test('dpop="auto" against a server without DPoP: a Bearer sign-in as before, no key', async () => {
    const page = await newPage(browser);
    const tokenRequests = [];
    page.on('request', (r) => { if (isToken(new URL(r.url()))) tokenRequests.push(r); });
    await alterDiscovery(page, ({ dpop_signing_alg_values_supported: _, ...rest }) => rest);
    await open(page, CONFIGURED());
    await signIn(page);
    const signin = (await waitForEvent(page, 'anypoint-signin')).detail;
    assert.equal(signin.tokenType, 'Bearer');
    assert.equal(signin.profile.name, 'Max Mule');
    assert.deepEqual(tokenRequests.map(proofOf), [null]);
    assert.equal((await fetch(userinfoUrl(), { headers: { authorization: `Bearer ${signin.accessToken}` } })).status, 200);
    assert.deepEqual(await dpopKeys(page), []);
    assert.deepEqual(page.consoleErrors, []);
    assert.deepEqual(page.consoleWarnings.filter((w) => /DPoP/.test(w)), []);
  });

  test('attribute values refused before any request: a dpop other than auto, on or off; dpop="on" with exchangeuri; fetchorigins that are not origins', async () => {
    const page = await newPage(browser);
    const refused = {
      signin: { dpop: 'sometimes' },
      backend: { clientid: CONFIDENTIAL_CLIENT, exchangeuri: '/api/exchange', dpop: 'on' },
      path: { fetchorigins: `${demo.origin} https://api.example.com/v1` },
      script: { fetchorigins: 'javascript:alert(1)' },
    };
    await configure(page, demo.origin, [...Object.entries(refused).map(([id, attributes]) => ({ id, ...attributes })),
      { id: 'fine', dpop: 'on', fetchorigins: 'https://api.example.com http://127.0.0.1:8080' },
      { id: 'backend-auto', clientid: CONFIDENTIAL_CLIENT, exchangeuri: '/api/exchange' }]);
    await open(page, CONFIGURED());
    for (const id of Object.keys(refused)) {
      const error = await waitForEvent(page, 'anypoint-signin-error', id);
      assert.equal(error.detail.code, 'invalid_attribute', `${id}: ${error.detail.message}`);
      assert.match(error.detail.message, id === 'backend' ? /exchangeuri/ : id === 'signin' ? /dpop/ : /fetchorigins/);
      assert.equal(await page.locator(`#${id} button`).isEnabled(), false, `${id}: the button is disabled`);
    }
    const others = (await events(page, 'anypoint-signin-error')).filter((e) => !(e.target in refused));
    assert.deepEqual(others.map((e) => `${e.target}: ${e.detail.message}`), [], 'valid values raise no error');
  });
});

describe('the token type a server answers', () => {
  // A sign-in whose token endpoint answers `tokenType` under `dpop`: refused, and its page.
  async function refusedTokenType(tokenType, dpop) {
    const page = await newPage(browser);
    await rewriteTokens(page, 'authorization_code', (json) => ({ ...json, token_type: tokenType }));
    await configure(page, demo.origin, [{ id: 'signin', dpop }]);
    await open(page, CONFIGURED());
    await signIn(page);
    const error = await assertRefused(page, 'invalid_token_response');
    assert.match(error.detail.message, new RegExp(tokenType));
    return page;
  }

  test('Bearer to a request with a proof, dpop="on": refused (invalid_token_response), no key left', async () => {
    const strict = await refusedTokenType('Bearer', 'on');
    assert.deepEqual(await dpopKeys(strict), [], 'no key kept for a sign-in that failed');
  });

  test('Bearer to a request with a proof, dpop="auto": taken as Bearer, with a console warning', async () => {
    const lenient = await newPage(browser);
    await rewriteTokens(lenient, 'authorization_code', (json) => ({ ...json, token_type: 'Bearer' }));
    await open(lenient, CONFIGURED());
    await signIn(lenient);
    const signin = (await waitForEvent(lenient, 'anypoint-signin')).detail;
    assert.equal(signin.tokenType, 'Bearer');
    assert.equal(await elementProperty(lenient, 'tokenType'), 'Bearer');
    assert.ok(lenient.consoleWarnings.some((w) => /Bearer/.test(w) && /DPoP/.test(w)), lenient.consoleWarnings.join('\n'));
  });

  test('DPoP to a request without a proof (dpop="off"): refused, invalid_token_response', async () => {
    await refusedTokenType('DPoP', 'off');
  });

  test('a token endpoint asking for a new nonce every time: sent again once, then token_request_failed', async () => {
    const page = await newPage(browser);
    const asked = [];
    let n = 0;
    await page.route(isToken, (route) => {
      asked.push(proofOf(route.request()));
      route.fulfill({ status: 400, contentType: 'application/json', json: { error: 'use_dpop_nonce', error_description: 'nonce required' },
        headers: { ...CORS, 'access-control-expose-headers': 'DPoP-Nonce', 'dpop-nonce': `token-nonce-${n++}` } });
    });
    await open(page, CONFIGURED());
    await signIn(page);
    const error = await assertRefused(page, 'token_request_failed');
    assert.match(error.detail.message, /use_dpop_nonce/);
    await sleep(500);
    assert.deepEqual(asked.map((proof) => proof && (proof.payload.nonce ?? 'none')), ['none', 'token-nonce-0'],
      'once more with the nonce, then no more');
  });
});
