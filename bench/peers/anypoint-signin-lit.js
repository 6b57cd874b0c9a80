// The earlier Lit element, @anypoint-web-components/anypoint-signin 8.0.1, used as its README says (the
// element and its attributes). It signs in through a popup and its redirect page, without PKCE (the local
// server requires it, so the authorization fails) and with the code exchange left to the page; the benchmark
// times its first paint and the click → the popup's opening.
import './lit-local.js';
import '@anypoint-web-components/anypoint-signin/anypoint-signin.js';

const host = document.getElementById('signin');
host.addEventListener('signedinchange', () => {
  if (host.signedIn) host.dispatchEvent(new CustomEvent('peer-signin', { bubbles: true, composed: true, detail: { accessToken: host.accessToken } }));
});
