// The popup flow's window handling: opening the popup, waiting for its answer, and, in the popup, handing the
// authorization response back. Messages go only to this origin and are taken only from the popup itself.
const NAME = 'anypoint-signin';
const TYPE = 'anypoint-signin:callback';

// Must run during the click (user activation); null when the browser blocks it.
export function openPopup() {
  const width = 500, height = 650;
  const left = screenX + Math.max(0, (outerWidth - width) / 2), top = screenY + Math.max(0, (outerHeight - height) / 2);
  return open('about:blank', NAME, `popup,width=${width},height=${height},left=${left},top=${top}`);
}

// Resolves with the query string the popup's redirect page sends back, or null once the popup is closed.
export function awaitPopup(popup) {
  return new Promise((resolve) => {
    let timer;
    const done = (value) => { removeEventListener('message', onMessage); clearInterval(timer); resolve(value); };
    const onMessage = (event) => {
      if (event.origin !== location.origin || event.source !== popup || event.data?.type !== TYPE) return;
      popup.close();
      done(String(event.data.query));
    };
    addEventListener('message', onMessage);
    // A message sent just before closing is still delivered first: give it one more turn.
    timer = setInterval(() => { if (popup.closed) setTimeout(() => done(null), 50); }, 250);
  });
}

// In the popup, on the redirect page: sends the authorization response to the opener (same origin only) and
// returns true; false when this page is not the element's popup or not a response.
export function handBack() {
  const query = location.search;
  // "May be a response" as page.rs and the entry module read it: a `state` in the query.
  if (window.name !== NAME || !window.opener || !new URLSearchParams(query).has('state')) return false;
  try {
    window.opener.postMessage({ type: TYPE, query }, location.origin);
  } catch {
    return false;
  }
  // The opener closes the popup; if it is gone, do not leave the window hanging.
  setTimeout(() => close(), 2000);
  return true;
}
