// oidc-client-ts 3.5: sign-in with PKCE, discovery fetched ahead of the click, the callback exchanged and
// checked, the address bar cleaned, the user shown, and the page's event.
import { UserManager } from 'oidc-client-ts';
import { isCallback, view } from './view.js';

const host = document.getElementById('signin');
const ui = view(host);
const manager = new UserManager({
  authority: host.dataset.authority,
  client_id: host.dataset.clientid,
  redirect_uri: host.dataset.redirecturi,
  scope: 'openid profile email',
  response_type: 'code',
  // The element shows the user's name, which this server puts in userinfo (not the id_token): the same call.
  loadUserInfo: true,
});
const signedIn = (user) => ui.signedIn(user.profile.name, user.access_token, () => manager.removeUser());

ui.signedOut(() => manager.signinRedirect().catch(ui.fail));
if (isCallback()) {
  ui.busy();
  manager.signinRedirectCallback().then((user) => {
    history.replaceState(null, '', location.pathname);
    signedIn(user);
  }, ui.fail);
} else {
  manager.getUser().then((user) => { if (user && !user.expired) signedIn(user); });
  manager.metadataService.getMetadata().catch(() => {});
}
