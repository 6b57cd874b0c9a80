// The event log: every event the element fires, with its detail, kept in sessionStorage so that it survives
// the trip to the authorization server and back.
const LOG_KEY = 'anypoint-signin-playground:log';
const LOG_MAX = 200;
const $ = (id) => document.getElementById(id);

function load() {
  try { return JSON.parse(sessionStorage.getItem(LOG_KEY)) ?? []; } catch { return []; }
}
const save = () => sessionStorage.setItem(LOG_KEY, JSON.stringify(entries));

let entries = load();

const short = (s, n = 18) => (typeof s === 'string' && s.length > n ? `${s.slice(0, n)}…` : String(s));
function summary(type, d) {
  if (!d) return '';
  switch (type) {
    case 'anypoint-signin': return `${d.profile?.name ?? d.profile?.sub ?? 'signed in'} · scope "${d.scope ?? ''}" · expires ${new Date(d.expiresAt).toLocaleTimeString()}`;
    case 'anypoint-signout': return d.reason ? `reason: ${d.reason}` : 'signed out';
    case 'anypoint-signin-error': return `${d.code}: ${d.message}`;
    case 'anypoint-code-exchange': return `code ${short(d.code, 10)} for ${d.clientId}`;
    case 'signedinchange': return `value: ${d.value}`;
    case 'accesstokenchange': return `value: ${d.value === null ? 'null' : short(d.value)}`;
    default: return d.text ?? '';
  }
}

export function record(type, detail) {
  // Through JSON: the functions in a detail (respondWith) are dropped, the rest is what a handler sees.
  const plain = detail === undefined || detail === null ? null : JSON.parse(JSON.stringify(detail));
  const entry = { time: new Date().toISOString(), type, detail: plain };
  entries.push(entry);
  entries = entries.slice(-LOG_MAX);
  save();
  // Only the new entry goes in, so a screen reader announces it alone.
  $('log').prepend(logItem(entry));
  $('log').querySelectorAll(`li:nth-child(n+${LOG_MAX + 1})`).forEach((old) => old.remove());
  $('log-empty').hidden = true;
}

function logItem({ time, type, detail }) {
  const when = new Date(time);
  const stamp = `${when.toLocaleTimeString([], { hour12: false })}.${String(when.getMilliseconds()).padStart(3, '0')}`;
  const item = document.createElement('li');
  item.className = 'event';
  item.dataset.type = type;
  const head = document.createElement('div');
  head.className = 'event-head';
  head.append(Object.assign(document.createElement('time'), { dateTime: time, textContent: stamp }),
    Object.assign(document.createElement('span'), { className: `badge ${type}`, textContent: type }),
    Object.assign(document.createElement('span'), { className: 'summary', textContent: summary(type, detail) }));
  item.append(head);
  if (detail && type !== 'page') {
    const more = document.createElement('details');
    more.append(Object.assign(document.createElement('summary'), { textContent: 'detail' }),
      Object.assign(document.createElement('pre'), { textContent: JSON.stringify(detail, null, 2) }));
    item.append(more);
  }
  return item;
}

export function renderLog() {
  $('log').replaceChildren(...entries.toReversed().map(logItem));
  $('log-empty').hidden = entries.length > 0;
}

export function clearLog() {
  entries = [];
  save();
  renderLog();
}
