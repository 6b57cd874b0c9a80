// TypeScript use of the package's types: the tag map, properties, methods, event details, attributes.
import 'anypoint-signin';
import { define } from 'anypoint-signin/define';
import type { AnypointSigninAttributes, AnypointSigninDetail, AnypointSigninErrorCode } from 'anypoint-signin';

const button = document.querySelector('anypoint-signin');
if (button) {
  const signedIn: boolean = button.signedIn;
  const token: string | null = button.accessToken;
  if (!signedIn) button.signIn();
  else button.signOut();
  button.addEventListener('anypoint-signin', (event) => {
    const detail: AnypointSigninDetail = event.detail;
    const expires: number | null = detail.expiresAt;
    console.log(detail.accessToken, detail.tokenType, detail.scope, detail.idToken, detail.profile.email, expires, token);
  });
  button.addEventListener('anypoint-signin-error', (event) => {
    const code: AnypointSigninErrorCode = event.detail.code;
    if (code === 'state_mismatch') console.warn(event.detail.message);
  });
  button.addEventListener('anypoint-code-exchange', (event) => {
    event.preventDefault();
    const { code, codeVerifier, redirectUri, clientId } = event.detail;
    event.detail.respondWith(fetch('/api/exchange', {
      method: 'POST',
      body: JSON.stringify({ code, code_verifier: codeVerifier, redirect_uri: redirectUri, client_id: clientId }),
    }).then((response) => response.json()));
  });
}
// The events bubble: the document's listeners are typed too.
document.addEventListener('accesstokenchange', (event) => {
  const value: string | null = event.detail.value;
  console.log(value);
});
document.addEventListener('anypoint-signout', (event) => console.log('signed out', event.detail));

export const attributes: AnypointSigninAttributes = {
  clientid: 'id', 'redirect-uri': 'https://app.example.com/callback', region: 'eu', storage: 'memory',
};
await define('my-signin');
