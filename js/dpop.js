// The DPoP key's browser side (the proofs themselves are built in Rust, core/src/dpop): Web Crypto makes an
// ECDSA P-256 key whose private half cannot be exported and signs with it; IndexedDB keeps it for a session
// that outlives the page (a CryptoKey is stored as itself, still unexportable). web-sys would take several
// times this code for the same promise plumbing. Every function is async, so a missing API rejects.
const DB = 'anypoint-signin';
const STORE = 'dpop-keys';

export async function dpopGenerate() {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

export async function dpopPublicJwk(pair) {
  return crypto.subtle.exportKey('jwk', pair.publicKey);
}

// The signature as JWS ES256 wants it: r and s, 32 bytes each (Web Crypto's own format for ECDSA).
export async function dpopSign(pair, text) {
  const data = new TextEncoder().encode(text);
  return new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data));
}

// One request on the store, in its own transaction; resolves once the transaction is done.
function store(mode, act) {
  return new Promise((ok, fail) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => fail(open.error);
    open.onblocked = () => fail(new Error('the database is blocked by another tab'));
    open.onsuccess = () => {
      const db = open.result;
      const done = (settle, value) => { db.close(); settle(value); };
      try {
        const tx = db.transaction(STORE, mode);
        const request = act(tx.objectStore(STORE));
        tx.oncomplete = () => done(ok, request.result);
        tx.onerror = tx.onabort = () => done(fail, tx.error);
      } catch (e) {
        done(fail, e);
      }
    };
  });
}

// Kept with its thumbprint (`jkt`, the bound tokens' cnf.jkt): which session's key it is.
export async function dpopKeep(name, pair, jkt) {
  return store('readwrite', (s) => s.put({ privateKey: pair.privateKey, publicKey: pair.publicKey, jkt }, name));
}

const ours = (kept, jkt) =>
  (kept?.jkt === jkt && kept.privateKey instanceof CryptoKey && kept.publicKey instanceof CryptoKey ? kept : undefined);

// The pair kept under `name` if it is the key `jkt` names, or undefined.
export async function dpopFind(name, jkt) {
  return ours(await store('readonly', (s) => s.get(name)), jkt);
}

// The same, deleted (only that key: a later sign-in's stays): what sign-out revokes with, then forgets.
export async function dpopTake(name, jkt) {
  let kept;
  await store('readwrite', (s) => {
    const read = s.get(name);
    read.onsuccess = () => { kept = ours(read.result, jkt); if (kept) s.delete(name); };
    return read;
  });
  return kept;
}
