// keycloak-js 26, pointed at a generic OpenID provider (its `oidcProvider` option: discovery instead of
// Keycloak's realm paths), fetched by init() ahead of the click. PKCE, the callback in the query, exchanged by
// init() on the callback page (which also cleans the address bar), userinfo for the name, the page's event.
// No login iframe: that is a Keycloak server endpoint.
import Keycloak from 'keycloak-js';
import { isCallback, view } from './view.js';

const host = document.getElementById('signin');
const ui = view(host);
const keycloak = new Keycloak({ clientId: host.dataset.clientid, oidcProvider: host.dataset.authority });
const ready = keycloak.init({ pkceMethod: 'S256', responseMode: 'query', checkLoginIframe: false,
  redirectUri: host.dataset.redirecturi, scope: 'openid profile email' });

ui.signedOut(() => ready.then(() => keycloak.login()).catch(ui.fail));
if (isCallback()) ui.busy();
ready.then(async (authenticated) => {
  if (!authenticated) return;
  const info = await keycloak.loadUserInfo();
  ui.signedIn(info.name, keycloak.token, () => keycloak.logout({ redirectUri: host.dataset.redirecturi }));
}).catch(ui.fail);
