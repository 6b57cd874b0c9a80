// anypoint-signin/server: the backend half of <anypoint-signin exchangeuri>, on the Fetch API.

/** Anypoint's US control plane. Other regions swap the host (`eu1.anypoint.mulesoft.com`, …). */
export declare const ANYPOINT_US_ISSUER: 'https://anypoint.mulesoft.com/accounts/api/v2/oauth2';

export interface ExchangeHandlerOptions {
  /** The authorization server's issuer; its token endpoint is `{issuer}/token`, as on Anypoint. `https://`
   * (`http://` only for 127.0.0.1, [::1] and localhost). */
  issuer: string;
  /** The confidential connected app: the only client the handler accepts. */
  clientId: string;
  /** Its secret: sent to the token endpoint, never in an answer. */
  clientSecret: string;
  /** The fetch that calls the token endpoint (default: the global one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

/**
 * POST JSON `{code, code_verifier, redirect_uri, client_id}` (the element's code exchange) or
 * `{grant_type: "refresh_token", refresh_token, client_id}` (a renewal). Answers with the token endpoint's token
 * response, or an OAuth error (JSON `{error, error_description}`): 400 `invalid_request` (not a JSON object of
 * strings, or a missing field), 400 `unsupported_grant_type`, 401 `invalid_client` (another `client_id`), the
 * token endpoint's own 4xx errors (such as `invalid_grant`) as they are, 502 `server_error` (the token endpoint
 * failed or could not be reached); 405 for a method other than POST.
 */
export type ExchangeHandler = (request: Request) => Promise<Response>;

/** The handler for one connected app. Throws a TypeError when an option is missing or the issuer is refused. */
export declare function createExchangeHandler(options: ExchangeHandlerOptions): ExchangeHandler;
