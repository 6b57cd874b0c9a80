// anypoint-signin/server: the backend half of <anypoint-signin exchangeuri>, on the Fetch API (Request in,
// Response out), so one handler runs in Node.js (Express, Next.js route handlers), Deno, Bun and edge runtimes.
// A token-mediating backend (RFC 10017): the browser gets the token response less its refresh token, which stays
// in a sealed HttpOnly cookie. The same contract, answers and cookies as the Rust crate anypoint-signin-server.
//
// Not part of the browser build: it lives beside dist/ (scripts/build.sh bundles www/src/ only) and imports
// nothing, so it is shipped as written.

/** Anypoint's US control plane. */
export const ANYPOINT_US_ISSUER = 'https://anypoint.mulesoft.com/accounts/api/v2/oauth2';

// The element's requests are a few hundred bytes, a token response a few kilobytes.
const MAX_BODY_BYTES = 16384;
const MAX_ANSWER_BYTES = 1024 * 1024;

// What each kind of request needs, in the order a refusal names them.
const REQUIRED = new Map([
  ['sign_out', ['client_id']],
  ['authorization_code', ['code', 'code_verifier', 'redirect_uri', 'client_id']],
  ['refresh_token', ['client_id']],
]);
const READ = ['action', 'grant_type', 'code', 'code_verifier', 'redirect_uri', 'client_id', 'refresh_token'];

const BAD_BODY = 'the body must be a JSON object of strings: {code, code_verifier, redirect_uri, client_id}, '
  + '{grant_type: "refresh_token", client_id} or {action: "sign_out", client_id}';
const CROSS_SITE = "only the site's own pages may call this endpoint (Sec-Fetch-Site: same-origin, or an Origin of "
  + 'this site)';
const BAD_KEY = 'sessionKey must be 32 random bytes, base64url (openssl rand -base64 32)';

const utf8 = new TextEncoder();
// As serde_json reads bytes: invalid UTF-8 or a byte order mark is not JSON.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// The `cookie` crate's HKDF info for Key::derive_from.
const KEYS_INFO = utf8.encode('COOKIE;SIGNED:HMAC-SHA256;PRIVATE:AEAD-AES-256-GCM');
const NONCE_BYTES = 12;

// A loopback host as the WHATWG parser writes it (every IPv4 form becomes four decimal parts).
const isLoopback = (hostname) => /^127(\.\d+){3}$/.test(hostname) || ['localhost', '[::1]'].includes(hostname);

// The element's rule for its URLs (core/src/web_url.rs), on the WHATWG parser's reading of the URL: https, or
// http on loopback only (`http://127.0.0.1.evil.com` is not loopback); no credentials.
function checkIssuer(issuer) {
  const refuse = (why) => { throw new TypeError(`the issuer ${JSON.stringify(issuer)} ${why}`); };
  if (typeof issuer !== 'string') refuse('must be a string');
  // The parser would silently drop tabs and newlines, and trim spaces: such a value is refused, not guessed at.
  if (/[\s\p{Cc}]/u.test(issuer)) refuse('must not contain spaces or control characters');
  let url;
  try { url = new URL(issuer); } catch { refuse('must be an absolute https:// URL'); }
  if (url.username || url.password) refuse('must not contain a user name or password');
  if (url.protocol === 'https:' && url.hostname) return;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return;
  refuse(url.protocol === 'http:' ? 'must use https (http is only allowed for 127.0.0.1, [::1] and localhost)'
    : 'must be an absolute https:// URL');
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => { out.set(p, at); return at + p.length; }, 0);
  return out;
};
const toBase64 = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

// A master key as base64url or standard base64, padding optional. 43 characters of the alphabet are 32 bytes;
// re-encoding refuses stray trailing bits as the Rust crate's decoder does (atob alone would also skip spaces).
function masterKey(key) {
  const b64 = typeof key === 'string' ? key.replaceAll('=', '').replaceAll('-', '+').replaceAll('_', '/') : '';
  const bytes = /^[A-Za-z0-9+/]{43}$/.test(b64) ? fromBase64(b64) : null;
  if (!bytes || toBase64(bytes) !== `${b64}=`) throw new TypeError(BAD_KEY);
  return bytes;
}

// The `cookie` crate's Key::derive_from(master).encryption(): bytes 32..64 of HKDF-Expand (no Extract), T(2).
async function encryptionKey(master) {
  const hmac = await crypto.subtle.importKey('raw', master, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const t1 = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, concat(KEYS_INFO, [1])));
  const t2 = await crypto.subtle.sign('HMAC', hmac, concat(t1, KEYS_INFO, [2]));
  return crypto.subtle.importKey('raw', t2, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

// The `cookie` crate's PrivateJar value: base64(nonce ‖ ciphertext ‖ tag), the cookie's name as additional data,
// so a value moved to another cookie does not open.
async function seal(key, name, plaintext) {
  const iv = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8.encode(name) }, key,
    utf8.encode(plaintext));
  return toBase64(concat(iv, new Uint8Array(sealed)));
}

// The plaintext under the first key that opens it, or null. Canonical padded base64 only, as the crate reads it.
async function unseal(keys, name, value) {
  let data;
  try { data = fromBase64(value); } catch { return null; }
  if (data.length <= NONCE_BYTES || toBase64(data) !== value) return null;
  for (const key of keys) {
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: data.subarray(0, NONCE_BYTES),
        additionalData: utf8.encode(name) }, key, data.subarray(NONCE_BYTES));
      return strictUtf8.decode(plain);
    } catch {}
  }
  return null;
}

// The stream's bytes, or null as soon as more than `limit` arrived (the rest is cancelled, never read).
async function readAtMost(stream, limit) {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks = [];
  for (let size = 0; ;) {
    const { done, value } = await reader.read();
    if (done) return concat(...chunks);
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
}

// A JSON object, or null.
function objectOf(bytes) {
  try {
    const value = JSON.parse(strictUtf8.decode(bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch { return null; }
}

function json(status, body, cookies = []) {
  // Token responses must not be cached (RFC 6749 §5.1).
  const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(JSON.stringify(body), { status, headers });
}

const oauthError = (status, error, description, cookies) =>
  json(status, { error, error_description: description }, cookies);

// The request's fields that are read, by name (`null` and `""` as absent); null unless the body is a JSON object
// whose read fields are strings.
function parse(bytes) {
  const body = objectOf(bytes);
  if (!body) return null;
  const fields = {};
  for (const name of READ) {
    const value = body[name] ?? '';
    if (typeof value !== 'string') return null;
    if (value) fields[name] = value;
  }
  return fields;
}

// The request's kind, or the answer refusing it.
function kindOf(fields) {
  if (fields.action) {
    return fields.action === 'sign_out' ? 'sign_out' : oauthError(400, 'invalid_request', 'action must be sign_out');
  }
  const grant = fields.grant_type ?? 'authorization_code';
  if (grant === 'authorization_code' || grant === 'refresh_token') return grant;
  return oauthError(400, 'unsupported_grant_type', 'grant_type must be absent, authorization_code or refresh_token');
}

// Whether the site's own pages sent it: what the browser says, else its Origin. A cross-site form or script gets
// nothing, even with the cookie attached.
function sameOrigin(request, origins) {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin';
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  if (origins.length) return origins.includes(origin);
  try {
    return new URL(origin).host === (request.headers.get('host') ?? new URL(request.url).host);
  } catch { return false; }
}

// The cookies of the request's kind of site: `__Host-` names and Secure on https; bare names on a plain-http
// loopback one (development), where a browser would refuse both. A request without an Origin gets the strict kind.
function cookiesOf(request) {
  let url = null;
  try { url = new URL(request.headers.get('origin')); } catch {}
  const loopback = url?.protocol === 'http:' && isLoopback(url.hostname);
  const [prefix, secure] = loopback ? ['', ''] : ['__Host-', '; Secure'];
  const session = `${prefix}anypoint-signin`;
  // The `cookie` crate's attribute order. The hint is readable by scripts: it tells the element a session exists.
  const set = (value, maxAge) => [
    `${session}=${value}; HttpOnly; SameSite=Strict${secure}; Path=/; Max-Age=${maxAge}`,
    `${session}-hint=${value ? 1 : ''}; SameSite=Strict${secure}; Path=/; Max-Age=${maxAge}`,
  ];
  return { session, set, clear: () => set('', 0) };
}

// The value of the first `name=value` pair of the Cookie header with that name.
const cookieValue = (request, name) => (request.headers.get('cookie') ?? '').split(';').map((pair) => pair.trim())
  .find((pair) => pair.startsWith(`${name}=`))?.slice(name.length + 1);

const now = () => Math.floor(Date.now() / 1000);
const log = (what) => console.error(`anypoint-signin/server: ${what}`);

/**
 * The endpoint of a confidential connected app: POST JSON `{code, code_verifier, redirect_uri, client_id}` (the
 * element's code exchange), `{grant_type: "refresh_token", client_id}` (a renewal with the session cookie) or
 * `{action: "sign_out", client_id}`; answers with the token endpoint's token response less its refresh token
 * (kept in the sealed session cookie), or an OAuth error. Throws a TypeError for a bad configuration.
 */
export function createExchangeHandler({ issuer, clientId, clientSecret, sessionKey, origins = [], timeout = 10_000,
  sessionLifetime = 7_776_000, fetch: fetchImpl = globalThis.fetch } = {}) {
  checkIssuer(issuer);
  for (const [value, what] of [[clientId, 'clientId'], [clientSecret, 'clientSecret']]) {
    if (typeof value !== 'string' || !value) throw new TypeError(`${what} must be a non-empty string`);
  }
  const masters = (Array.isArray(sessionKey) ? sessionKey : [sessionKey]).map(masterKey);
  if (!masters.length) throw new TypeError(BAD_KEY);
  if (!Array.isArray(origins) || !origins.every((o) => typeof o === 'string')) {
    throw new TypeError('origins must be an array of origins, such as https://app.example.com');
  }
  if (!Number.isInteger(timeout) || timeout <= 0) throw new TypeError('timeout must be a positive number of ms');
  if (!Number.isInteger(sessionLifetime) || sessionLifetime <= 0) {
    throw new TypeError('sessionLifetime must be a positive number of seconds');
  }
  const base = issuer.replace(/\/+$/, '');
  const endpoints = { token: `${base}/token`, revocation: `${base}/revoke` };
  // WebCrypto is asynchronous: the keys are derived on the first request that needs them, once.
  let derived;
  const keys = () => (derived ??= Promise.all(masters.map(encryptionKey)));

  // The session in the request's cookie: undefined without one, null when it is refused (another key, tampered,
  // another app or issuer, expired).
  async function sessionOf(request, cookies) {
    const value = cookieValue(request, cookies.session);
    if (value === undefined) return undefined;
    const plaintext = await unseal(await keys(), cookies.session, value);
    let session = null;
    try { session = JSON.parse(plaintext); } catch {}
    const valid = session !== null && typeof session === 'object' && session.iss === issuer
      && session.client_id === clientId && typeof session.refresh_token === 'string' && session.refresh_token
      && Number.isInteger(session.exp) && session.exp > now();
    return valid ? session : null;
  }

  // The Set-Cookie values keeping `refreshToken` until `exp`, sealed with the first key.
  async function keep(cookies, refreshToken, exp) {
    const [key] = await keys();
    const plaintext = JSON.stringify({ iss: issuer, client_id: clientId, refresh_token: refreshToken, exp });
    return cookies.set(await seal(key, cookies.session, plaintext), exp - now());
  }

  // When a new session ends: the configured lifetime, or the refresh token's own if shorter.
  function expiry(tokens) {
    const lifetime = tokens[Object.hasOwn(tokens, 'refresh_token_expires_in') ? 'refresh_token_expires_in'
      : 'refresh_expires_in'];
    return now() + (Number.isInteger(lifetime) && lifetime > 0 ? Math.min(lifetime, sessionLifetime) : sessionLifetime);
  }

  // POSTs the form to the token or revocation endpoint (`what`), bounded in time (reading the answer included)
  // and size: its status and bytes, or the status and words of a failure (logged).
  async function post(what, form) {
    const signal = AbortSignal.timeout(timeout);
    // A fetch option that ignores the signal is bounded all the same.
    const expired = new Promise((_, fail) => signal.addEventListener('abort', () => fail(signal.reason)));
    try {
      const answer = await Promise.race([fetchImpl(endpoints[what], {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        // A redirect is a failure, never followed: the form carries the secret.
        redirect: 'manual',
        signal,
      }), expired]);
      const bytes = await Promise.race([readAtMost(answer.body, MAX_ANSWER_BYTES), expired]);
      if (bytes) return { status: answer.status, bytes };
      log(`the ${what} endpoint's answer is over 1 MiB`);
      return { failed: 502, said: "endpoint's answer is over 1 MiB" };
    } catch (e) {
      if (signal.aborted) {
        log(`the ${what} endpoint did not answer in ${timeout} ms`);
        return { failed: 504, said: 'endpoint did not answer in time' };
      }
      // The error's code or name only: a message could quote anything.
      log(`the ${what} endpoint could not be reached (${e?.cause?.code ?? e?.name})`);
      return { failed: 502, said: 'endpoint could not be reached' };
    }
  }

  // The token endpoint's answer to the form: its status and JSON object, or the server_error answer.
  // `neverEchoed` (the secret, a refresh token) must not reach the browser in what would be relayed.
  async function tokenRequest(form, neverEchoed) {
    const answer = await post('token', form);
    if (answer.failed) return oauthError(answer.failed, 'server_error', `the token ${answer.said}`);
    const { status, bytes } = answer;
    const tokens = objectOf(bytes);
    const success = status >= 200 && status < 300;
    if (!tokens || !(success || (status >= 400 && status < 500))) {
      log(`the token endpoint answered HTTP ${status}`);
      return oauthError(502, 'server_error', `the token endpoint answered HTTP ${status}`);
    }
    const { refresh_token: _, ...relayed } = tokens;
    const text = JSON.stringify(success ? relayed : tokens);
    // Looked for as JSON writes them: a server that echoes the form back would leak them.
    if (neverEchoed.some((v) => text.includes(JSON.stringify(v).slice(1, -1)))) {
      log("the token endpoint's answer contained the client secret or the refresh token; not relayed");
      return oauthError(502, 'server_error', "the token endpoint's answer was refused");
    }
    return { status, tokens, relayed };
  }

  async function exchangeCode(fields, cookies) {
    const form = [['grant_type', 'authorization_code'],
      ...REQUIRED.get('authorization_code').map((f) => [f, fields[f]]), ['client_secret', clientSecret]];
    const answer = await tokenRequest(form, [clientSecret]);
    if (answer instanceof Response) return answer;
    const { status, tokens, relayed } = answer;
    if (status >= 400) return json(status, tokens);
    const issued = tokens.refresh_token;
    // Without a refresh token, a session kept from before (maybe another user's) must end.
    return json(200, relayed, typeof issued === 'string' && issued
      ? await keep(cookies, issued, expiry(tokens)) : cookies.clear());
  }

  async function refresh(request, cookies) {
    const session = await sessionOf(request, cookies);
    if (session === null) log('a session cookie was refused');
    if (!session) {
      return oauthError(400, 'invalid_grant', session === undefined ? 'no session at this backend: sign in again'
        : 'the session cookie was refused: sign in again', cookies.clear());
    }
    const form = [['grant_type', 'refresh_token'], ['refresh_token', session.refresh_token], ['client_id', clientId],
      ['client_secret', clientSecret]];
    const answer = await tokenRequest(form, [clientSecret, session.refresh_token]);
    if (answer instanceof Response) return answer;
    const { status, tokens, relayed } = answer;
    // The grant is gone (revoked, expired, or a replayed rotated token): so is the session.
    if (status >= 400) return json(status, tokens, tokens.error === 'invalid_grant' ? cookies.clear() : []);
    const rotated = tokens.refresh_token;
    // Sealed again either way: with the first key, so the cookies of a rotated-out key move on.
    return json(200, relayed, typeof rotated === 'string' && rotated ? await keep(cookies, rotated, expiry(tokens))
      : await keep(cookies, session.refresh_token, session.exp));
  }

  async function signOut(request, cookies) {
    const session = await sessionOf(request, cookies);
    let revoked = false;
    if (session) {
      const answer = await post('revocation', [['token', session.refresh_token],
        ['token_type_hint', 'refresh_token'], ['client_id', clientId], ['client_secret', clientSecret]]);
      revoked = answer.status >= 200 && answer.status < 300;
      if (!revoked && !answer.failed) log(`the revocation endpoint answered HTTP ${answer.status}`);
    }
    return json(200, { revoked }, cookies.clear());
  }

  return async function exchange(request) {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    if (!sameOrigin(request, origins)) return oauthError(403, 'access_denied', CROSS_SITE);
    // A cross-site HTML form cannot send JSON.
    const mediaType = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return oauthError(415, 'invalid_request', 'the body must be JSON (Content-Type: application/json)');
    }
    const tooLarge = () => oauthError(413, 'invalid_request', `the body is over ${MAX_BODY_BYTES} bytes`);
    if (Number(request.headers.get('content-length')) > MAX_BODY_BYTES) return tooLarge();
    // A body that never ends costs no more than the limit.
    const bytes = await readAtMost(request.body, MAX_BODY_BYTES).catch(() => new Uint8Array());
    if (!bytes) return tooLarge();
    const fields = parse(bytes);
    if (!fields) return oauthError(400, 'invalid_request', BAD_BODY);
    const kind = kindOf(fields);
    if (kind instanceof Response) return kind;
    const missing = REQUIRED.get(kind).filter((f) => !fields[f]);
    if (missing.length) return oauthError(400, 'invalid_request', `missing ${missing.join(', ')}`);
    // The refresh token lives in the cookie: one sent by a page (an old element, or a script replaying a stolen
    // one) is never redeemed with the secret.
    if (kind === 'refresh_token' && fields.refresh_token) {
      const why = 'this backend keeps the refresh token itself, in its cookie: send none';
      return oauthError(400, 'invalid_request', why);
    }
    if (fields.client_id !== clientId) {
      return oauthError(401, 'invalid_client', 'this backend serves its own connected app only');
    }
    const cookies = cookiesOf(request);
    if (kind === 'sign_out') return signOut(request, cookies);
    return kind === 'refresh_token' ? refresh(request, cookies) : exchangeCode(fields, cookies);
  };
}
