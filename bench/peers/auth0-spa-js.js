// @auth0/auth0-spa-js 2: loginWithRedirect with PKCE (the library's default), handleRedirectCallback on the
// callback page, the user from the id_token, the page's event. The library knows Auth0's paths, not discovery:
// `${domain}/authorize` matches this server (domain = the issuer), `${domain}/oauth/token` does not (the
// server's token endpoint is /token), so the callback fails here and the benchmark times only the first
// paint and the click.
import { Auth0Client } from '@auth0/auth0-spa-js';
import { isCallback, view } from './view.js';

const host = document.getElementById('signin');
const ui = view(host);
const auth0 = new Auth0Client({ domain: host.dataset.authority, clientId: host.dataset.clientid,
  issuer: host.dataset.authority, authorizationParams: { redirect_uri: host.dataset.redirecturi, scope: 'openid profile email' } });

ui.signedOut(() => auth0.loginWithRedirect().catch(ui.fail));
if (isCallback()) {
  ui.busy();
  auth0.handleRedirectCallback().then(async () => {
    history.replaceState(null, '', location.pathname);
    const user = await auth0.getUser();
    ui.signedIn(user.name, await auth0.getTokenSilently(), () => auth0.logout({ openUrl: false }));
  }).catch(ui.fail);
}
