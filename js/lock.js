// Web Locks are not in web-sys's stable API: this holds the lock `name` from its grant until the returned
// function is called, and calls `granted()` once it is held. Without Web Locks every holder is granted at once.
export function holdLock(name, granted) {
  if (!globalThis.navigator?.locks) {
    granted();
    return () => {};
  }
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const abort = new AbortController();
  navigator.locks.request(name, { signal: abort.signal }, () => { granted(); return held; }).catch(() => {});
  return () => { abort.abort(); release(); };
}
