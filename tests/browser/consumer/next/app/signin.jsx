'use client';
// A client component: server-rendered like any other, then hydrated. The element is imported in an effect, after
// hydration, with its listeners added just before: the package's entry module needs a browser; Next's router
// puts the URL it rendered back into the address bar as it hydrates (with a callback's code and state, which
// the element removes); and React does not attach a custom element's `on…` props when it hydrates.
import { useEffect, useRef, useState } from 'react';

export function SignIn({ issuer, origin }) {
  const element = useRef(null);
  const [who, setWho] = useState('nobody');
  const [error, setError] = useState('');
  useEffect(() => {
    const el = element.current;
    const signedIn = (event) => setWho(event.detail.profile.name ?? event.detail.accessToken);
    const failed = (event) => setError(`${event.detail.code}: ${event.detail.message}`);
    el.addEventListener('anypoint-signin', signedIn);
    el.addEventListener('anypoint-signin-error', failed);
    import('anypoint-signin');
    return () => {
      el.removeEventListener('anypoint-signin', signedIn);
      el.removeEventListener('anypoint-signin-error', failed);
    };
  }, []);
  return (
    <>
      <anypoint-signin ref={element} id="signin" clientid="anypoint-signin-demo" authority={issuer} redirecturi={`${origin}/`} />
      <p id="who">{who}</p>
      <p id="error">{error}</p>
    </>
  );
}
