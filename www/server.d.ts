// anypoint-signin/server: the backend half of <anypoint-signin exchangeuri>, on the Fetch API.

/** Anypoint's US control plane. Other regions swap the host (`eu1.anypoint.mulesoft.com`, …). */
export declare const ANYPOINT_US_ISSUER: 'https://anypoint.mulesoft.com/accounts/api/v2/oauth2';

export interface ExchangeHandlerOptions {
  /** The authorization server's issuer; its token endpoint is `{issuer}/token`, its revocation endpoint
   * `{issuer}/revoke`, as on Anypoint. `https://` (`http://` only for 127.0.0.1, [::1] and localhost). */
  issuer: string;
  /** The confidential connected app: the only client the handler accepts. */
  clientId: string;
  /** Its secret: sent to the token endpoint, never in an answer. */
  clientSecret: string;
  /** The key that seals the session cookie (the refresh token, AES-256-GCM): 32 random bytes, base64url or
   * base64 (`openssl rand -base64 32`), the same as the Rust crate's `ANYPOINT_SIGNIN_SESSION_KEY`, so either
   * reads the other's cookies. A list rotates keys: the first seals, every one opens. */
  sessionKey: string | readonly string[];
  /** The origins whose pages may call the endpoint when the browser does not send `Sec-Fetch-Site`, such as
   * `https://app.example.com` (default: an `Origin` naming the request's own `Host`). */
  origins?: readonly string[];
  /** How long the token and revocation endpoints get to answer, in ms (default 10000). */
  timeout?: number;
  /** The longest a session lasts, in seconds (default 7776000, 90 days); shorter when the refresh token's
   * `refresh_token_expires_in` says so. */
  sessionLifetime?: number;
  /** The fetch that calls the token and revocation endpoints (default: the global one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

/**
 * POST JSON from the site's own pages (`Sec-Fetch-Site: same-origin`, or an `Origin` of the site):
 * `{code, code_verifier, redirect_uri, client_id}` (the element's code exchange), `{grant_type: "refresh_token",
 * client_id}` (a renewal with the session cookie's refresh token) or `{action: "sign_out", client_id}`.
 * Answers with the token endpoint's token response without its `refresh_token`, which goes into the sealed
 * HttpOnly session cookie (`__Host-anypoint-signin`, with the script-readable hint `__Host-anypoint-signin-hint`;
 * without `__Host-` on an http loopback origin); a sign-out with `{revoked}` and both cookies cleared. Or an
 * OAuth error (JSON `{error, error_description}`): 403 `access_denied` (another site), 415 `invalid_request` (not
 * `application/json`), 413 `invalid_request` (over 16384 bytes), 400 `invalid_request` (not a JSON object of
 * strings, a missing field, a `refresh_token` sent), 400 `unsupported_grant_type`, 401 `invalid_client` (another
 * `client_id`), 400 `invalid_grant` (no session cookie, or a refused one: both cookies cleared), the token
 * endpoint's own 4xx errors (such as `invalid_grant`, which ends the session) as they are, 502 `server_error`
 * (the token endpoint failed, could not be reached or answered over 1 MiB), 504 `server_error` (it did not answer
 * within `timeout`); 405 for a method other than POST.
 */
export type ExchangeHandler = (request: Request) => Promise<Response>;

/** The handler for one connected app. Throws a TypeError when an option is missing or invalid (a `sessionKey`
 * that is not 32 bytes of base64url), or the issuer is refused. */
export declare function createExchangeHandler(options: ExchangeHandlerOptions): ExchangeHandler;
