// Points the earlier element at the local server before it connects (it signs in silently as soon as it does):
// it hard-codes Anypoint's production host, and the local server has the same paths.
import { AnypointAuth } from '@anypoint-web-components/anypoint-signin';

const issuer = document.getElementById('signin').dataset.issuer;
AnypointAuth.authorizationUri = `${issuer}/authorize`;
AnypointAuth.accessTokenUri = `${issuer}/token`;
