// Each line marked `error` must fail to type-check, and no other.
import 'anypoint-signin';
import type { AnypointSigninAttributes } from 'anypoint-signin';

const button = document.querySelector('anypoint-signin')!;
console.log(button.signedin); // error: signedIn
button.addEventListener('anypoint-signin', (event) => console.log(event.detail.acessToken)); // error: accessToken
document.addEventListener('anypoint-signin-error', (event) => console.log(event.detail.mesage)); // error: message
export const a: AnypointSigninAttributes = { clientId: 'id' }; // error: clientid
export const b: AnypointSigninAttributes = { region: 'mars' }; // error: not a region
button.signIn('now'); // error: no argument
