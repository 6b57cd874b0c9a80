// The local authorization server for development and tests: oidc-provider (a certified OpenID Connect
// server) on loopback, under Anypoint Platform's OAuth paths, with its development login and consent pages.
//
//   node playground/oidc-server.mjs [--port N] [--redirect-uri URI ...]
//
// Not a mock: PKCE, state, nonce, iss, code replay, revocation and DPoP are the real server's behaviour.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';

export const OAUTH_PATH = '/accounts/api/v2/oauth2';
export const PUBLIC_CLIENT = 'anypoint-signin-demo';
export const CONFIDENTIAL_CLIENT = 'anypoint-signin-confidential';
// A public client whose access tokens last seconds: how the tests see renewal and expiry happen.
export const SHORT_LIVED_CLIENT = 'anypoint-signin-short';
export const SHORT_LIVED_SECONDS = 6;

// "max.mule" → "Max Mule"; anything else (say, markup in a security test) is kept as typed.
function nameOf(login) {
  if (!/^[a-z0-9._-]+$/i.test(login)) return login;
  return login.split(/[._-]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
}

function configuration({ redirectUris, confidentialSecret, confidentialSeconds }) {
  const client = { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
    redirect_uris: redirectUris, post_logout_redirect_uris: redirectUris };
  const loopback = (origin) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin);
  return {
    clients: [
      { ...client, client_id: PUBLIC_CLIENT, token_endpoint_auth_method: 'none' },
      { ...client, client_id: SHORT_LIVED_CLIENT, token_endpoint_auth_method: 'none' },
      { ...client, client_id: CONFIDENTIAL_CLIENT, client_secret: confidentialSecret,
        token_endpoint_auth_method: 'client_secret_post' },
    ],
    routes: { authorization: '/authorize', token: '/token', revocation: '/revoke', userinfo: '/userinfo',
      jwks: '/jwks', introspection: '/introspect', end_session: '/logout' },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'offline_access', 'full', 'read:full'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'] },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true },
      introspection: { enabled: true }, userinfo: { enabled: true },
      // DPoP (RFC 9449) as oidc-provider has it (ES256 advertised), with server nonces: sent to every client
      // (DPoP-Nonce, exposed to pages by CORS), required of the short-lived one only, so that the renewal tests
      // see the element answer a use_dpop_nonce challenge (its code exchange, and a refresh from a tab that has
      // no nonce yet) while the other suites' token requests stay one each. A fixed secret: nonces outlive a restart.
      dPoP: { enabled: true, nonceSecret: createHash('sha256').update('anypoint-signin-dev-dpop-nonce').digest(),
        requireNonce: (ctx) => ctx.oidc.client?.clientId === SHORT_LIVED_CLIENT } },
    // Browsers on loopback pages call the token, userinfo and revocation endpoints cross-origin.
    clientBasedCORS: (ctx, origin) => loopback(origin),
    findAccount: (ctx, sub) => ({
      accountId: sub,
      claims: () => {
        const name = nameOf(sub);
        const [given, ...family] = name.split(' ');
        return { sub, name, given_name: given, family_name: family.join(' ') || undefined,
          preferred_username: sub, email: `${sub.replace(/[^\w.-]/g, '_')}@example.com`, email_verified: true };
      },
    }),
    // Every refresh token is used once: a backend that spent a rotated one twice would be refused (as Anypoint
    // may, and as RFC 9700 asks of public clients).
    rotateRefreshToken: true,
    ttl: { AccessToken: (ctx, token, client) => (client?.clientId === SHORT_LIVED_CLIENT ? SHORT_LIVED_SECONDS
      : client?.clientId === CONFIDENTIAL_CLIENT ? confidentialSeconds : 3600), IdToken: 3600, AuthorizationCode: 60, RefreshToken: 90 * 24 * 3600,
      Interaction: 600, Session: 3600, Grant: 3600 },
    cookies: { keys: ['anypoint-signin-dev-cookie-key'] },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><h1>${out.error}</h1><p>${String(out.error_description ?? '').replace(/[<>&"]/g, '')}</p>`;
    },
  };
}

// `redirectUris` may be a promise: a site that needs the issuer before it can start (and so know its own
// address) registers its pages once it listens. Requests wait for it.
// `confidentialSeconds`: how long the confidential client's access tokens last (short, to see a backend renew).
export async function startAuthServer({ host = '127.0.0.1', port = 0, redirectUris = [],
  confidentialSecret = process.env.ANYPOINT_DEV_CLIENT_SECRET ?? 'dev-confidential-secret', confidentialSeconds = 3600 } = {}) {
  const server = createServer();
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, host, ok); });
  const { port: bound } = server.address();
  const url = `http://${host}:${bound}`;
  const issuer = `${url}${OAUTH_PATH}`;
  const handler = Promise.resolve(redirectUris).then((uris) => {
    const provider = new Provider(issuer, configuration({ redirectUris: uris, confidentialSecret, confidentialSeconds }));
    // The development keys and the in-memory store are the point here; its warnings about them are noise.
    provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
    return provider.callback();
  });
  server.on('request', async (req, res) => {
    if (!req.url.startsWith(`${OAUTH_PATH}/`)) {
      res.writeHead(404).end();
      return;
    }
    // Mounted under Anypoint's path: oidc-provider derives its URLs from originalUrl minus url.
    req.originalUrl = req.url;
    req.url = req.url.slice(OAUTH_PATH.length);
    (await handler)(req, res);
  });
  return {
    issuer,
    port: bound,
    url,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const port = Number(args[args.indexOf('--port') + 1] || 0) || 9000;
  const redirectUris = args.flatMap((a, i) => (args[i - 1] === '--redirect-uri' ? [a] : []));
  try {
    const auth = await startAuthServer({ port, redirectUris });
    console.log(`local authorization server: ${auth.issuer}`);
    const stop = async () => { await auth.close(); process.exit(0); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    console.error(e.code === 'EADDRINUSE' ? `port ${port} is already in use` : e.message);
    process.exit(1);
  }
}
