// The peers' shared view, the same few lines in every peer's bundle: a plain button, "Signed in as …", an
// error line, and the page's event (`peer-signin`, the counterpart of `anypoint-signin`).
export function view(host) {
  const button = (label, onclick) => Object.assign(document.createElement('button'), { type: 'button', textContent: label, onclick });
  let signIn;
  return {
    signedOut(start) {
      signIn = button('Sign in with Anypoint Platform', () => { signIn.disabled = true; start(); });
      host.replaceChildren(signIn);
    },
    busy() { signIn.disabled = true; },
    fail(error) {
      console.error('peer:', error);
      signIn.disabled = false;
      host.replaceChildren(signIn, Object.assign(document.createElement('p'), { textContent: String(error) }));
    },
    signedIn(name, accessToken, signOut) {
      const label = Object.assign(document.createElement('span'), { textContent: `Signed in as ${name ?? 'Anypoint user'}` });
      host.replaceChildren(label, button('Sign out', () => signOut().then(() => host.replaceChildren(signIn))));
      host.dispatchEvent(new CustomEvent('peer-signin', { bubbles: true, composed: true, detail: { accessToken } }));
    },
  };
}

// Whether this page load is the authorization server's redirect back.
export const isCallback = () => {
  const query = new URLSearchParams(location.search);
  return query.has('state') && (query.has('code') || query.has('error'));
};
