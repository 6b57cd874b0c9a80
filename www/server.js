// anypoint-signin/server: the backend half of <anypoint-signin exchangeuri>, on the Fetch API (Request in,
// Response out), so one handler runs in Node.js (Express, Next.js route handlers), Deno, Bun and edge runtimes.
// The same contract and answers as the Rust crate anypoint-signin-server (server/src/exchange.rs).
//
// Not part of the browser build: it lives beside dist/ (scripts/build.sh bundles www/src/ only) and imports
// nothing, so it is shipped as written.

/** Anypoint's US control plane. */
export const ANYPOINT_US_ISSUER = 'https://anypoint.mulesoft.com/accounts/api/v2/oauth2';

// What each grant needs from the request, all forwarded to the token endpoint.
const GRANTS = new Map([
  ['authorization_code', ['code', 'code_verifier', 'redirect_uri', 'client_id']],
  ['refresh_token', ['refresh_token', 'client_id']],
]);
const READ = [...new Set([...GRANTS.values()].flat()), 'grant_type'];

const BAD_BODY = 'the body must be a JSON object of strings: {code, code_verifier, redirect_uri, client_id} '
  + 'or {grant_type: "refresh_token", refresh_token, client_id}';

// The element's rule for its URLs (src/web_url.rs), on the WHATWG parser's reading of the URL: https, or
// http on loopback only (`http://127.0.0.1.evil.com` is not loopback); no credentials.
function checkIssuer(issuer) {
  const refuse = (why) => { throw new TypeError(`the issuer ${JSON.stringify(issuer)} ${why}`); };
  if (typeof issuer !== 'string') refuse('must be a string');
  // The parser would silently drop tabs and newlines, and trim spaces: such a value is refused, not guessed at.
  if (/[\s\p{Cc}]/u.test(issuer)) refuse('must not contain spaces or control characters');
  let url;
  try { url = new URL(issuer); } catch { refuse('must be an absolute https:// URL'); }
  if (url.username || url.password) refuse('must not contain a user name or password');
  const loopback = /^127(\.\d+){3}$/.test(url.hostname) || ['localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' && url.hostname) return;
  if (url.protocol === 'http:' && loopback) return;
  refuse(url.protocol === 'http:' ? 'must use https (http is only allowed for 127.0.0.1, [::1] and localhost)'
    : 'must be an absolute https:// URL');
}

function json(status, body) {
  // Token responses must not be cached (RFC 6749 §5.1).
  return new Response(body, { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

const oauthError = (status, error, description) =>
  json(status, JSON.stringify({ error, error_description: description }));

// The request's fields that are read, by name (`null` and `""` as absent); null unless the body is a JSON object
// whose read fields are strings.
function parse(text) {
  let body;
  try { body = JSON.parse(text); } catch { return null; }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const fields = {};
  for (const name of READ) {
    const value = body[name] ?? '';
    if (typeof value !== 'string') return null;
    if (value) fields[name] = value;
  }
  return fields;
}

// The token endpoint's answer as the element expects it: a token response, or an OAuth error (RFC 6749 §5.2)
// with its status. Anything else (a 5xx, a redirect, an HTML error page) becomes a server_error.
function relay(status, text, secret) {
  let object = false;
  try { const v = JSON.parse(text); object = v !== null && typeof v === 'object' && !Array.isArray(v); } catch {}
  const success = status >= 200 && status < 300;
  if (!object || !(success || (status >= 400 && status < 500))) {
    console.error(`anypoint-signin/server: the token endpoint answered HTTP ${status}`);
    return oauthError(502, 'server_error', `the token endpoint answered HTTP ${status}`);
  }
  // A server that echoes the form back would leak the secret to the browser.
  if (text.includes(secret)) {
    console.error("anypoint-signin/server: the token endpoint's answer contained the client secret; not relayed");
    return oauthError(502, 'server_error', "the token endpoint's answer was refused");
  }
  return json(status, text);
}

/**
 * The endpoint of a confidential connected app: POST JSON `{code, code_verifier, redirect_uri, client_id}` (the
 * element's code exchange) or `{grant_type: "refresh_token", refresh_token, client_id}` (a renewal); answers
 * with the token endpoint's token response, or an OAuth error. Throws a TypeError for a bad configuration.
 */
export function createExchangeHandler({ issuer, clientId, clientSecret, fetch: fetchImpl = globalThis.fetch } = {}) {
  checkIssuer(issuer);
  for (const [value, what] of [[clientId, 'clientId'], [clientSecret, 'clientSecret']]) {
    if (typeof value !== 'string' || !value) throw new TypeError(`${what} must be a non-empty string`);
  }
  const tokenEndpoint = `${issuer.replace(/\/+$/, '')}/token`;

  return async function exchange(request) {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    const fields = parse(await request.text().catch(() => ''));
    if (!fields) return oauthError(400, 'invalid_request', BAD_BODY);
    const grantType = fields.grant_type ?? 'authorization_code';
    const required = GRANTS.get(grantType);
    if (!required) {
      return oauthError(400, 'unsupported_grant_type', 'grant_type must be absent, authorization_code or refresh_token');
    }
    const missing = required.filter((f) => !fields[f]);
    if (missing.length) return oauthError(400, 'invalid_request', `missing ${missing.join(', ')}`);
    if (fields.client_id !== clientId) {
      return oauthError(401, 'invalid_client', 'this backend serves its own connected app only');
    }
    const form = new URLSearchParams({ grant_type: grantType });
    for (const f of required) form.append(f, fields[f]);
    form.append('client_secret', clientSecret);
    let status, text;
    try {
      const answer = await fetchImpl(tokenEndpoint, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        // A redirect is relayed as a failure, never followed: the form carries the secret.
        redirect: 'manual',
        signal: AbortSignal.timeout(20_000),
      });
      status = answer.status;
      text = await answer.text();
    } catch (e) {
      console.error(`anypoint-signin/server: the token endpoint could not be reached: ${e.cause ?? e}`);
      return oauthError(502, 'server_error', 'the token endpoint could not be reached');
    }
    return relay(status, text, clientSecret);
  };
}
