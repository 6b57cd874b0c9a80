// Each line marked `error` must fail to type-check, and no other.
import 'anypoint-signin/react';

export const one = <anypoint-signin clientId="id" />; // error: clientid
export const two = <anypoint-signin onanypoint-signin={(event) => console.log(event.detail.profile.nmae)} />; // error: name
export const three = <anypoint-signin storage="local" />; // error: session | memory
