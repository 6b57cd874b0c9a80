// anypoint-signin/server (www/server.js) on its own, against a token endpoint stub on 127.0.0.1: what only the
// JavaScript library shows. Its configuration, its session cookie against the Rust crate's (a value sealed by the
// `cookie` crate opens here), key rotation, the cookies it refuses, its same-origin and body checks, its bounds in
// time and size, and that the secret and the refresh tokens reach no answer and no log line. The answers side by
// side with the Rust crate's are in server.test.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createExchangeHandler } from '../../www/server.js';

const SECRET = 'server-node-test-secret';
const KEY = randomBytes(32).toString('base64url');
const OLD_KEY = randomBytes(32).toString('base64url');
const SESSION = '__Host-anypoint-signin';
const BAD_KEY = 'sessionKey must be 32 random bytes, base64url (openssl rand -base64 32)';
const CLEAR = [`${SESSION}=; HttpOnly; SameSite=Strict; Secure; Path=/; Max-Age=0`,
  `${SESSION}-hint=; SameSite=Strict; Secure; Path=/; Max-Age=0`];

// Sealed by the Rust `cookie` crate (0.18, features private and key-expansion): CookieJar::private_mut(
// &Key::derive_from(&master)).add(Cookie::new(name, plaintext)), the master key being the bytes 0..32.
const RUST = {
  key: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
  name: '__Host-anypoint-signin',
  value: 'y99l+7EbpMczG5CzdBvNR2DZdd5WzIKIDSwDZLGvcs1rUQa8eUHX1/MYrmjF9CEnjboKug0VvZ43+RREUw0Pr/DqCtVYtFvlVodZXhCvx79QmDZ'
    + 'DVjGgnyHIRTreyuMFXpKNZ7eJyMsf/QqF9CuKQHiElHEF/NWVyRas+B51xvhRMBjWCL3tJlFVnY+5aXY6TIAB',
  plaintext: '{"iss":"https://idp.example.com/oauth2","client_id":"app","refresh_token":"rust-sealed-refresh-token",'
    + '"exp":4102444800}',
};

// The token endpoint: answers by the form's code, refresh token or revoked token (refresh tokens are `RT.…`,
// so a leak is easy to find), else 200 `{}`; `[]` leaves the request hanging (closeAllConnections ends it).
const forms = [];
const ANSWERS = {
  hang: [],
  'RT.hang': [],
  good: [200, { access_token: 'at-1', token_type: 'Bearer', refresh_token: 'RT.one', refresh_token_expires_in: 3600 }],
  'no-refresh': [200, { access_token: 'at-0', token_type: 'Bearer' }],
  echo: (form) => [400, { error: 'invalid_request', got: form }],
  huge: [200, { access_token: 'x'.repeat(2 * 1024 * 1024) }],
  'RT.one': [200, { access_token: 'at-2', token_type: 'Bearer', refresh_token: 'RT.two' }],
  'RT.same': [200, { access_token: 'at-3', token_type: 'Bearer', refresh_token: 'RT.same' }],
  'RT.kept': [200, { access_token: 'at-4', token_type: 'Bearer' }],
  'RT.gone': [400, { error: 'invalid_grant', error_description: 'expired' }],
  'RT.echoed': (form) => [200, { access_token: 'at-5', note: `for ${form.refresh_token}` }],
  'RT.down': [503, { error: 'temporarily_unavailable' }],
};
let stub, issuer;
const logged = [];
const consoleError = console.error;
before(async () => {
  console.error = (...args) => logged.push(args.join(' '));
  stub = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = Object.fromEntries(new URLSearchParams(body));
    forms.push({ path: req.url, body });
    if (form.code === 'slow-body') return res.writeHead(200, { 'content-type': 'application/json' }).write('{"a');
    const answer = ANSWERS[form.code ?? form.refresh_token ?? form.token];
    const [status, json] = (typeof answer === 'function' ? answer(form) : answer) ?? [200, {}];
    if (status) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  });
  await new Promise((ok) => stub.listen(0, '127.0.0.1', ok));
  issuer = `http://127.0.0.1:${stub.address().port}/oauth2`;
});
after(async () => {
  console.error = consoleError;
  stub.closeAllConnections();
  await new Promise((ok) => stub.close(ok));
});

const handler = (options) => createExchangeHandler({ issuer, clientId: 'app', clientSecret: SECRET, sessionKey: KEY,
  timeout: 2000, ...options });

// A POST from the site's own page (https://site.example), JSON unless the headers say otherwise ('' drops one).
const post = (exchange, body, headers = {}) => exchange(new Request('https://site.example/api/exchange', {
  method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: Object.entries({ 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', ...headers })
    .filter(([, value]) => value !== '') }));

const CODE = { code: 'good', code_verifier: 'v'.repeat(43), redirect_uri: 'https://site.example/', client_id: 'app' };
const REFRESH = { grant_type: 'refresh_token', client_id: 'app' };
const SIGN_OUT = { action: 'sign_out', client_id: 'app' };

// Status, body and Set-Cookie; neither the secret nor a refresh token in the body or another header.
async function answerOf(response) {
  const text = await response.text();
  const headers = [...response.headers].filter(([name]) => name !== 'set-cookie').join('\n');
  for (const where of [text, headers]) assert.ok(!where.includes(SECRET) && !where.includes('RT.'), `leaked: ${where}`);
  return { status: response.status, body: text && JSON.parse(text), cookies: response.headers.getSetCookie() };
}

const oauthError = (status, error, description, cookies = []) =>
  ({ status, body: { error, error_description: description }, cookies });

// A session cookie as the crate seals it, written here independently (node:crypto): HKDF-Expand's T(2), AES-GCM.
function seal(session, { key = KEY, name = SESSION } = {}) {
  const info = Buffer.from('COOKIE;SIGNED:HMAC-SHA256;PRIVATE:AEAD-AES-256-GCM');
  const master = Buffer.from(key, 'base64url');
  const t1 = createHmac('sha256', master).update(info).update(Buffer.of(1)).digest();
  const aes = createHmac('sha256', master).update(t1).update(info).update(Buffer.of(2)).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aes, iv).setAAD(Buffer.from(name));
  const plaintext = typeof session === 'string' ? session : JSON.stringify({ iss: issuer, client_id: 'app',
    refresh_token: 'RT.one', exp: Math.floor(Date.now() / 1000) + 600, ...session });
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

const withCookie = (value, name = SESSION) => ({ cookie: `theme=dark; ${name}=${value}` });
const sessionCookie = (answer) => answer.cookies[0].split(';')[0].slice(SESSION.length + 1);
const lastForm = () => Object.fromEntries(new URLSearchParams(forms.at(-1).body));

describe('node: configuration', () => {
  test('the session key: 32 bytes of base64url or base64, or a list of them; anything else a TypeError', () => {
    const std = Buffer.from(KEY, 'base64url').toString('base64');
    for (const sessionKey of [KEY, std, std.replace(/=$/, ''), [KEY, OLD_KEY], RUST.key]) {
      assert.equal(typeof handler({ sessionKey }), 'function', String(sessionKey));
    }
    for (const sessionKey of [undefined, '', randomBytes(16).toString('base64url'), randomBytes(33).toString('base64url'),
      '!'.repeat(43), `${KEY.slice(0, 20)} ${KEY.slice(20)}`, `${'A'.repeat(42)}B`, 7, [], [KEY, 'short']]) {
      assert.throws(() => handler({ sessionKey }), (e) => e instanceof TypeError && e.message === BAD_KEY, String(sessionKey));
    }
  });

  test('the issuer: the element\'s rule for its URLs, on the table the core runs too (core/tests/web-url-cases.json)', async () => {
    const cases = JSON.parse(await readFile(new URL('../../core/tests/web-url-cases.json', import.meta.url), 'utf8'));
    for (const [url, ok] of cases) {
      const made = () => handler({ issuer: url });
      if (ok) assert.doesNotThrow(made, url);
      else assert.throws(made, (e) => e instanceof TypeError && e.message.startsWith(`the issuer ${JSON.stringify(url)} `), url);
    }
  });

  test('origins, timeout and sessionLifetime checked too', () => {
    for (const options of [{ origins: 'https://app.example.com' }, { timeout: 0 }, { timeout: '10s' }, { sessionLifetime: -1 }]) {
      assert.throws(() => handler(options), TypeError, JSON.stringify(options));
    }
  });
});

describe('node: the session cookie', () => {
  test('a value sealed by the Rust cookie crate opens: its refresh token is the one revoked', async () => {
    const seen = [];
    const exchange = createExchangeHandler({ issuer: 'https://idp.example.com/oauth2', clientId: 'app', clientSecret: SECRET,
      sessionKey: RUST.key, fetch: async (url, init) => { seen.push([url, init.body]); return new Response('{}'); } });
    assert.equal(seal(RUST.plaintext, { key: RUST.key }).length, RUST.value.length, 'the same layout');
    const answer = await answerOf(await post(exchange, SIGN_OUT, withCookie(RUST.value, RUST.name)));
    assert.deepEqual(answer, { status: 200, body: { revoked: true }, cookies: CLEAR });
    assert.deepEqual(seen, [['https://idp.example.com/oauth2/revoke',
      `token=rust-sealed-refresh-token&token_type_hint=refresh_token&client_id=app&client_secret=${SECRET}`]]);
  });

  test('a code exchange keeps the refresh token in the cookie; renewals rotate it; loopback names', async () => {
    const exchange = handler();
    const signedIn = await answerOf(await post(exchange, CODE));
    assert.deepEqual(signedIn.body, { access_token: 'at-1', token_type: 'Bearer', refresh_token_expires_in: 3600 });
    assert.match(signedIn.cookies[0], /^__Host-anypoint-signin=[\w+/]+=*; HttpOnly; SameSite=Strict; Secure; Path=\/; Max-Age=3600$/);
    assert.equal(signedIn.cookies[1], '__Host-anypoint-signin-hint=1; SameSite=Strict; Secure; Path=/; Max-Age=3600');
    assert.deepEqual(lastForm(), { grant_type: 'authorization_code', ...CODE, client_secret: SECRET });

    const renewed = await answerOf(await post(exchange, REFRESH, withCookie(sessionCookie(signedIn))));
    assert.deepEqual([renewed.status, renewed.body], [200, { access_token: 'at-2', token_type: 'Bearer' }]);
    assert.deepEqual(lastForm(), { grant_type: 'refresh_token', refresh_token: 'RT.one', client_id: 'app', client_secret: SECRET });
    assert.match(renewed.cookies[0], /; Max-Age=7776000$/, 'the configured lifetime: the answer gave none');
    await post(exchange, REFRESH, withCookie(sessionCookie(renewed)));
    assert.equal(lastForm().refresh_token, 'RT.two', 'the rotated refresh token is the one kept');

    const loopback = await answerOf(await post(exchange, CODE, { 'sec-fetch-site': '', origin: 'http://localhost:8080',
      host: 'localhost:8080' }));
    assert.deepEqual(loopback.cookies.map((c) => c.replace(/=[^;]+;/, '=…;')), ['anypoint-signin=…; HttpOnly; SameSite=Strict; '
      + 'Path=/; Max-Age=3600', 'anypoint-signin-hint=…; SameSite=Strict; Path=/; Max-Age=3600']);
  });

  test('renewed without a new refresh token: the old one kept until its old end; without any at sign-in: cleared', async () => {
    const exp = Math.floor(Date.now() / 1000) + 500;
    const kept = await answerOf(await post(handler(), REFRESH, withCookie(seal({ refresh_token: 'RT.kept', exp }))));
    assert.match(kept.cookies[1], /; Max-Age=(500|499)$/);
    await post(handler(), REFRESH, withCookie(sessionCookie(kept)));
    assert.equal(lastForm().refresh_token, 'RT.kept');
    const none = await answerOf(await post(handler(), { ...CODE, code: 'no-refresh' }, withCookie(seal({}))));
    assert.deepEqual(none, { status: 200, body: { access_token: 'at-0', token_type: 'Bearer' }, cookies: CLEAR });
  });

  test('key rotation: a cookie of the old key opens while it is listed, and comes back sealed with the new one', async () => {
    const old = seal({}, { key: OLD_KEY });
    const rotated = await answerOf(await post(handler({ sessionKey: [KEY, OLD_KEY] }), REFRESH, withCookie(old)));
    assert.equal(rotated.status, 200);
    assert.equal(lastForm().refresh_token, 'RT.one');
    await answerOf(await post(handler({ sessionKey: KEY }), REFRESH, withCookie(sessionCookie(rotated))));
    assert.equal(lastForm().refresh_token, 'RT.two', 'the new key alone opens it');
    assert.equal((await post(handler({ sessionKey: OLD_KEY }), REFRESH, withCookie(sessionCookie(rotated)))).status, 400);
  });

  // Sealed when the test runs: the stub's issuer is known then.
  const refused = {
    tampered: (valid = seal({})) => `${valid.slice(0, 30)}${valid[30] === 'A' ? 'B' : 'A'}${valid.slice(31)}`,
    truncated: () => seal({}).slice(0, -8),
    'not base64': () => `${seal({})}%`,
    'a space inside (atob would skip it)': (valid = seal({})) => `${valid.slice(0, 10)} ${valid.slice(10)}`,
    'another key': () => seal({}, { key: OLD_KEY }),
    'another cookie\'s value': () => seal({}, { name: 'anypoint-signin' }),
    'another client': () => seal({ client_id: 'other-app' }),
    'another issuer': () => seal({ iss: 'https://elsewhere.example/oauth2' }),
    expired: () => seal({ exp: Math.floor(Date.now() / 1000) }),
    'no refresh token': () => seal({ refresh_token: '' }),
    'not JSON': () => seal('RT.one'),
  };
  for (const [what, sealed] of Object.entries(refused)) {
    test(`refused, the cookies cleared: ${what}`, async () => {
      const [before, value] = [forms.length, sealed()];
      assert.deepEqual(await answerOf(await post(handler(), REFRESH, withCookie(value))),
        oauthError(400, 'invalid_grant', 'the session cookie was refused: sign in again', CLEAR));
      assert.deepEqual(await answerOf(await post(handler(), SIGN_OUT, withCookie(value))),
        { status: 200, body: { revoked: false }, cookies: CLEAR });
      assert.equal(forms.length, before, 'neither the token nor the revocation endpoint called');
    });
  }

  test('no cookie: no session', async () => {
    assert.deepEqual(await answerOf(await post(handler(), REFRESH, { cookie: 'anypoint-signin=x' })),
      oauthError(400, 'invalid_grant', 'no session at this backend: sign in again', CLEAR));
  });
});

describe('node: only the site\'s own pages, only small JSON', () => {
  const crossSite = oauthError(403, 'access_denied',
    "only the site's own pages may call this endpoint (Sec-Fetch-Site: same-origin, or an Origin of this site)");
  const signedOut = { status: 200, body: { revoked: false }, cookies: CLEAR };
  const noFetchSite = { 'sec-fetch-site': '' };
  const cases = [
    ['Sec-Fetch-Site: cross-site', {}, { 'sec-fetch-site': 'cross-site', origin: 'https://site.example' }, crossSite],
    ['Sec-Fetch-Site: same-site', {}, { 'sec-fetch-site': 'same-site' }, crossSite],
    ['Sec-Fetch-Site: none', {}, { 'sec-fetch-site': 'none' }, crossSite],
    ['an Origin of this host', {}, { ...noFetchSite, origin: 'https://site.example' }, signedOut],
    ['an Origin of the Host header', {}, { ...noFetchSite, origin: 'https://proxy.example', host: 'proxy.example' }, signedOut],
    ['an Origin of another host', {}, { ...noFetchSite, origin: 'https://evil.example' }, crossSite],
    ['an Origin of another port', {}, { ...noFetchSite, origin: 'https://site.example:8443' }, crossSite],
    ['Origin: null', {}, { ...noFetchSite, origin: 'null' }, crossSite],
    ['neither header', {}, noFetchSite, crossSite],
    ['a configured origin', { origins: ['https://app.example.com'] }, { ...noFetchSite, origin: 'https://app.example.com' }, signedOut],
    ['its own host, origins configured', { origins: ['https://app.example.com'] }, { ...noFetchSite, origin: 'https://site.example' }, crossSite],
    ['same-origin, origins configured', { origins: ['https://app.example.com'] }, {}, signedOut],
    ['text/plain', {}, { 'content-type': 'text/plain' }, oauthError(415, 'invalid_request', 'the body must be JSON (Content-Type: application/json)')],
    ['JSON, cased, with a charset', {}, { 'content-type': ' Application/JSON ; charset=utf-8' }, signedOut],
    ['a declared length over 16384', {}, { 'content-length': '16385' }, oauthError(413, 'invalid_request', 'the body is over 16384 bytes')],
  ];
  for (const [what, options, headers, expected] of cases) {
    test(what, async () => {
      assert.deepEqual(await answerOf(await post(handler(options), SIGN_OUT, headers)), expected);
    });
  }

  test('16384 bytes read, 16385 refused; a body that never ends is cancelled after the limit', { timeout: 5000 }, async () => {
    const padded = (size) => JSON.stringify(SIGN_OUT).padEnd(size, ' ');
    assert.equal((await post(handler(), padded(16384))).status, 200);
    assert.equal((await post(handler(), padded(16385))).status, 413);
    let pulled = 0, cancelled = false;
    const endless = new ReadableStream({
      pull: (controller) => { pulled += 1000; controller.enqueue(new Uint8Array(1000).fill(32)); },
      cancel: () => { cancelled = true; },
    });
    const answer = await handler()(new Request('https://site.example/api/exchange', { method: 'POST', body: endless,
      duplex: 'half', headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' } }));
    assert.deepEqual(await answerOf(answer), oauthError(413, 'invalid_request', 'the body is over 16384 bytes'));
    assert.ok(cancelled && pulled < 16384 + 20000, `pulled ${pulled}`);
  });
});

describe('node: the token and revocation endpoints', () => {
  test('one that does not answer, or stops mid-answer: 504 within the timeout', { timeout: 5000 }, async () => {
    for (const code of ['hang', 'slow-body']) {
      const started = performance.now();
      const answer = await answerOf(await post(handler({ timeout: 300 }), { ...CODE, code }));
      assert.deepEqual(answer, oauthError(504, 'server_error', 'the token endpoint did not answer in time'), code);
      assert.ok(performance.now() - started < 1500, `${code}: ${performance.now() - started} ms`);
    }
  });

  test('an answer over 1 MiB: 502', async () => {
    assert.deepEqual(await answerOf(await post(handler(), { ...CODE, code: 'huge' })),
      oauthError(502, 'server_error', "the token endpoint's answer is over 1 MiB"));
  });

  test('an echo of the secret or of the refresh token is refused; the same refresh token back is kept', async () => {
    const refusedAnswer = oauthError(502, 'server_error', "the token endpoint's answer was refused");
    assert.deepEqual(await answerOf(await post(handler(), { ...CODE, code: 'echo' })), refusedAnswer);
    const echoed = seal({ refresh_token: 'RT.echoed' });
    assert.deepEqual(await answerOf(await post(handler(), REFRESH, withCookie(echoed))), refusedAnswer);
    const same = await answerOf(await post(handler(), REFRESH, withCookie(seal({ refresh_token: 'RT.same' }))));
    assert.deepEqual([same.status, same.body], [200, { access_token: 'at-3', token_type: 'Bearer' }]);
  });

  test('invalid_grant on a renewal ends the session', async () => {
    assert.deepEqual(await answerOf(await post(handler(), REFRESH, withCookie(seal({ refresh_token: 'RT.gone' })))),
      { status: 400, body: { error: 'invalid_grant', error_description: 'expired' }, cookies: CLEAR });
  });

  test('sign-out revokes at {issuer}/revoke; an endpoint down, hanging or unreachable: revoked false', { timeout: 5000 },
    async () => {
    assert.deepEqual(await answerOf(await post(handler(), SIGN_OUT, withCookie(seal({})))),
      { status: 200, body: { revoked: true }, cookies: CLEAR });
    assert.deepEqual(forms.at(-1), { path: '/oauth2/revoke',
      body: `token=RT.one&token_type_hint=refresh_token&client_id=app&client_secret=${SECRET}` });
    // A port that was just free: nothing listens there.
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((ok) => probe.once('listening', ok));
    const closed = `http://127.0.0.1:${probe.address().port}/oauth2`;
    await new Promise((ok) => probe.close(ok));
    for (const [options, session] of [[{}, { refresh_token: 'RT.down' }], [{ timeout: 300 }, { refresh_token: 'RT.hang' }],
      [{ issuer: closed }, { iss: closed }]]) {
      assert.deepEqual(await answerOf(await post(handler(options), SIGN_OUT, withCookie(seal(session)))),
        { status: 200, body: { revoked: false }, cookies: CLEAR }, JSON.stringify(session));
    }
  });

  test('the log says what failed, never the secret or a refresh token', () => {
    assert.ok(logged.length >= 5, logged.join('\n'));
    for (const line of logged) {
      assert.match(line, /^anypoint-signin\/server: /);
      assert.ok(!line.includes(SECRET) && !line.includes('RT.'), line);
    }
  });
});
