// The peer page's script: the element's job done with oidc-client-ts and a plain button. Sign-in with PKCE,
// discovery fetched ahead of the click, the callback exchanged and checked, the address bar cleaned, the user
// shown, and an event for the page (`peer-signin`, the counterpart of `anypoint-signin`).
import { UserManager } from 'oidc-client-ts';

const host = document.getElementById('signin');
const manager = new UserManager({
  authority: host.dataset.authority,
  client_id: host.dataset.clientid,
  redirect_uri: host.dataset.redirecturi,
  scope: 'openid profile email',
  response_type: 'code',
  // The element shows the user's name, which this server puts in userinfo (not the id_token): the same call.
  loadUserInfo: true,
});

const button = (label, onclick) => {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.onclick = onclick;
  return b;
};
const fail = (error) => {
  console.error('peer:', error);
  host.replaceChildren(signIn, Object.assign(document.createElement('p'), { textContent: String(error) }));
};
const signIn = button('Sign in with Anypoint Platform', () => {
  signIn.disabled = true;
  manager.signinRedirect().catch(fail);
});
function signedIn(user) {
  const name = document.createElement('span');
  name.textContent = `Signed in as ${user.profile.name ?? 'Anypoint user'}`;
  host.replaceChildren(name, button('Sign out', () => manager.removeUser().then(() => host.replaceChildren(signIn))));
  host.dispatchEvent(new CustomEvent('peer-signin', { bubbles: true, composed: true, detail: { accessToken: user.access_token } }));
}

host.replaceChildren(signIn);
const query = new URLSearchParams(location.search);
if (query.has('state') && (query.has('code') || query.has('error'))) {
  signIn.disabled = true;
  manager.signinRedirectCallback().then((user) => {
    history.replaceState(null, '', location.pathname);
    signedIn(user);
  }, fail);
} else {
  manager.getUser().then((user) => { if (user && !user.expired) signedIn(user); });
  manager.metadataService.getMetadata().catch(() => {});
}
