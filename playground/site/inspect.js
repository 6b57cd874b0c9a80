// The token inspector: what the `anypoint-signin` event's detail says, in a form a person reads. Tokens are
// decoded, not verified: the element has already checked the id_token; this only shows it.

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);

function base64url(part) {
  const b64 = part.replaceAll('-', '+').replaceAll('_', '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}

// {header, claims} of a JWT, or null for an opaque token.
export function decodeJwt(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return null;
  try {
    return { header: JSON.parse(base64url(parts[0])), claims: JSON.parse(base64url(parts[1])) };
  } catch {
    return null;
  }
}

// "59:07" or "1:02:03"; "expired" at zero.
export function countdown(ms) {
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

function el(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function claimValue(name, value) {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') {
    return [el('code', { textContent: String(value) }), ` ${new Date(value * 1000).toLocaleString()}`];
  }
  return [el('code', { textContent: typeof value === 'string' ? value : JSON.stringify(value) })];
}

// A token's card: its decoded claims as a table, or a note that it is opaque.
export function tokenView(title, token) {
  const decoded = decodeJwt(token);
  const box = el('section', { className: 'jwt' }, [el('h3', { textContent: title })]);
  if (!decoded) {
    box.append(el('p', { className: 'hint', textContent: 'Opaque (not a JWT): only the authorization server can read it.' }),
      el('code', { className: 'raw', textContent: token }));
    return box;
  }
  const alg = `${decoded.header.alg ?? '?'}${decoded.header.kid ? ` · kid ${decoded.header.kid}` : ''}`;
  box.append(el('p', { className: 'hint', textContent: `JWT, signed ${alg}` }));
  const rows = Object.entries(decoded.claims).map(([name, value]) =>
    el('tr', {}, [el('th', { scope: 'row', textContent: name }), el('td', {}, claimValue(name, value))]));
  box.append(el('div', { className: 'table-wrap' }, [el('table', {}, [
    el('caption', { className: 'sr-only', textContent: `${title} claims` }),
    el('tbody', {}, rows),
  ])]));
  return box;
}

// Scope chips: granted ones, and requested ones the server did not grant (struck through).
export function scopeChips(granted, requested) {
  const have = new Set(granted);
  const chips = granted.map((s) => el('span', { className: 'chip on', textContent: s }));
  for (const s of requested) {
    if (!have.has(s)) chips.push(el('span', { className: 'chip missing', textContent: s, title: 'requested, not granted' }));
  }
  return chips;
}
