// The two backend libraries under load (issue 20): the Rust crate (server/, served by playground-server) and the
// JavaScript one (www/server.js over node:http, bench/backend-node-server.mjs), each in its own process, against
// a token endpoint stub in this process. 100 clients each redeem a code for a session cookie, then, all at once,
// renew 10 times in a row with it: 1,000 refreshes per library and round (3 rounds). Prints a table (medians of
// the rounds) and writes it as JSON.
//
//   node bench/backend-load.mjs [--rust BIN] [--only rust|node] [--json FILE] [--rounds N] [--clients N]
//                              [--refreshes N]
//
// BIN defaults to target/release/playground-server when built (`cargo build --release -p
// anypoint-signin-playground`), else target/debug's. Loopback only; it stops after 120 s of traffic at most.
// The clients and the stub share this process and the machine with the backend: the figures compare the two
// libraries on one machine, they are not a capacity. BENCHMARKS.md has the method.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { arg, printTable, rotate, stats } from './common.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const ROOT = here('..');
const JSON_OUT = arg('--json', here('backend-load.json'));
// 100 and 10 unless asked (at most 1,000 and 100: bounded in count as in time).
const CLIENTS = Math.min(Math.max(Number(arg('--clients', 100)) || 100, 1), 1000);
const REFRESHES = Math.min(Math.max(Number(arg('--refreshes', 10)) || 10, 1), 100);
// The machine is shared (2 cores here, other work on it): each library runs ROUNDS times, alternating which
// goes first, so drift in the load hits both; 1 to 10.
const ROUNDS = Math.min(Math.max(Number(arg('--rounds', 3)) || 3, 1), 10);
const DEADLINE_MS = 120_000;
const CLIENT_ID = 'bench-app';
const SECRET = 'bench-client-secret';
// On loopback (an http://127.0.0.1 origin) the session cookie has no __Host- prefix.
const SESSION = 'anypoint-signin';

const release = join(ROOT, 'target/release/playground-server');
const RUST_BIN = arg('--rust', existsSync(release) ? release : join(ROOT, 'target/debug/playground-server'));

// The token endpoint: a code gets a refresh token, a refresh token gets the next one and is then spent (rotation,
// as Anypoint does), so a cookie that held an old token shows up as a reuse. Tokens are random: a backend refuses
// an answer that contains the token it sent, and `RT.1` would be inside `RT.10`.
function startStub() {
  const live = new Set();
  const counts = { codes: 0, refreshes: 0, revokes: 0, reused: 0, badClient: 0 };
  const token = () => randomBytes(24).toString('base64url');
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = Object.fromEntries(new URLSearchParams(body));
    const answer = (status, json) => res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(json));
    if (req.method !== 'POST') return answer(405, { error: 'invalid_request' });
    if (req.url === '/oauth2/revoke') return (counts.revokes++, answer(200, {}));
    if (req.url !== '/oauth2/token') return answer(404, { error: 'not_found' });
    if (form.client_id !== CLIENT_ID || form.client_secret !== SECRET) {
      counts.badClient++;
      return answer(401, { error: 'invalid_client' });
    }
    const issue = () => {
      const refresh = `RT.${token()}`;
      live.add(refresh);
      return answer(200, { access_token: `AT.${token()}`, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh });
    };
    if (form.grant_type === 'authorization_code' && form.code) return (counts.codes++, issue());
    if (form.grant_type === 'refresh_token') {
      if (!live.delete(form.refresh_token)) {
        counts.reused++;
        return answer(400, { error: 'invalid_grant', error_description: 'refresh token already used or unknown' });
      }
      counts.refreshes++;
      return issue();
    }
    return answer(400, { error: 'unsupported_grant_type' });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({
    issuer: `http://127.0.0.1:${server.address().port}/oauth2`,
    counts,
    reset: () => { live.clear(); for (const k in counts) counts[k] = 0; },
    close: () => { server.closeAllConnections(); server.close(); },
  })));
}

// Starts a backend (configured as playground-server is) and resolves with its origin once it listens.
function startBackend(command, args, issuer) {
  const child = spawn(command, args, {
    // Both stop when their stdin (this pipe) ends: however this process ends, they do not outlive it.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PLAYGROUND_STOP_ON_EOF: '1', PLAYGROUND_ADDR: '127.0.0.1:0', ANYPOINT_ISSUER: issuer,
      ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET,
      ANYPOINT_SIGNIN_SESSION_KEY: randomBytes(32).toString('base64url'),
      PLAYGROUND_PAGES: here('pages'), PLAYGROUND_DIST: join(ROOT, 'www/dist') },
  });
  const logged = [];
  createInterface({ input: child.stderr }).on('line', (line) => logged.push(line));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${command} did not listen within 20 s`)), 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const origin = line.match(/^listening on (http:\S+)/)?.[1];
      if (origin) { clearTimeout(timer); ok({ origin, child, logged }); }
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${command} exited with ${code}: ${logged.join('\n')}`)));
  });
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    child.once('exit', ok);
    child.stdin.end();
    setTimeout(() => child.kill('SIGTERM'), 2000).unref();
  });
}

// From /proc: a field of status in MB (VmRSS now, VmHWM the peak), and user + system CPU time in ms.
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const memory = (pid, field) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))[1]) / 1024;
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14 and 15)
};

// The nearest-rank percentile.
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

// The session cookie an answer sets, or null.
const sessionOf = (response) => response.headers.getSetCookie().map((c) => c.split(';')[0])
  .find((c) => c.startsWith(`${SESSION}=`) && c.length > SESSION.length + 1) ?? null;

async function load(name, backend, stub) {
  stub.reset();
  const { origin, child, logged } = backend;
  const endpoint = `${origin}/api/exchange`;
  const errors = {};
  const error = (why) => { errors[why] = (errors[why] ?? 0) + 1; };
  // One POST as the element sends it (same origin: the backend's own Origin); the answer checked, and the new
  // session cookie, or null after an error.
  const post = async (body, cookie) => {
    try {
      const response = await fetch(endpoint, { method: 'POST', signal: deadline, body: JSON.stringify(body),
        headers: { origin, 'content-type': 'application/json', ...(cookie && { cookie }) } });
      const answer = await response.text();
      if (response.status !== 200) return error(`HTTP ${response.status} ${answer}`), null;
      const json = JSON.parse(answer);
      if (!json.access_token || 'refresh_token' in json) return error(`unexpected answer ${answer}`), null;
      return sessionOf(response) ?? (error('no session cookie in a 200 answer'), null);
    } catch (e) {
      return error(deadline.aborted ? `aborted after ${DEADLINE_MS / 1000} s` : `${e.name}: ${e.message}`), null;
    }
  };

  const rssIdle = memory(child.pid, 'VmRSS');
  const started = performance.now();
  // Every client redeems its code first; the refreshes start together once all hold a session.
  const cookies = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => post({ code: `code-${i}`,
    code_verifier: randomBytes(32).toString('base64url'), redirect_uri: `${origin}/callback.html`, client_id: CLIENT_ID })));
  const exchanged = performance.now();
  const [cpuBefore, selfBefore] = [cpuMs(child.pid), process.cpuUsage()];
  const latencies = [];
  await Promise.all(cookies.map(async (cookie) => {
    for (let i = 0; cookie && i < REFRESHES; i++) {
      const t = performance.now();
      cookie = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID }, cookie);
      if (cookie) latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - exchanged) / 1000;
  const self = process.cpuUsage(selfBefore);
  const backendCpu = cpuMs(child.pid) - cpuBefore;
  const peakRss = memory(child.pid, 'VmHWM');
  latencies.sort((a, b) => a - b);
  // A token refused by the stub reached the client as a 400 already; counted once, from the client's side.
  if (stub.counts.badClient) error(`${stub.counts.badClient} requests with a wrong client at the stub`);
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  return {
    library: name, refreshes: latencies.length, exchangeSeconds: (exchanged - started) / 1000, refreshSeconds: seconds,
    throughput: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    errors: errorCount, errorKinds: errors, stub: { ...stub.counts },
    rssIdleMB: rssIdle, peakRssMB: peakRss, backendCpuMsPerRefresh: backendCpu / Math.max(latencies.length, 1),
    backendCpuPercent: (backendCpu / 10 / seconds), clientCpuPercent: (self.user + self.system) / 1e4 / seconds,
    log: logged.slice(0, 20),
  };
}

// How the Rust binary was built, and whether its sources are newer (a stale binary measures old code).
function rustBuild() {
  const profile = RUST_BIN.includes('/target/release/') ? 'release' : RUST_BIN.includes('/target/debug/') ? 'debug' : 'given';
  const built = statSync(RUST_BIN).mtimeMs;
  const newer = ['server/src', 'core/src', 'playground/server/src'].flatMap((d) => readdirSync(join(ROOT, d), { recursive: true })
    .map((f) => join(d, f)).filter((f) => statSync(join(ROOT, f)).isFile() && statSync(join(ROOT, f)).mtimeMs > built));
  if (newer.length) console.error(`warning: ${RUST_BIN} is older than ${newer.join(', ')}`);
  return profile;
}

const only = arg('--only', null);
const libraries = [
  { name: 'rust', label: 'Rust (server/, axum)', start: (issuer) => startBackend(RUST_BIN, [], issuer) },
  { name: 'node', label: 'JavaScript (www/server.js, node:http)',
    start: (issuer) => startBackend(process.execPath, [here('backend-node-server.mjs')], issuer) },
].filter((l) => !only || l.name === only);

// The other work on the machine shows in the figures: the load average before the run is part of them.
const LOAD = loadavg()[0];
const profile = libraries.some((l) => l.name === 'rust') ? rustBuild() : null;
const stub = await startStub();
// One bound for the whole run's traffic: what is still in flight then fails (counted as errors), and no round starts.
const deadline = AbortSignal.timeout(DEADLINE_MS);
// Every fetch listens to it (thousands; undici lets go of them late): expected, not a leak to warn of.
setMaxListeners(0, deadline);
const rounds = Object.fromEntries(libraries.map((l) => [l.name, []]));
try {
  for (let round = 0; round < ROUNDS && !deadline.aborted; round++) {
    for (const library of rotate(libraries, round)) {
      // A fresh process each round: its peak RSS is this round's.
      const backend = await library.start(stub.issuer);
      try {
        rounds[library.name].push(await load(library.name, backend, stub));
      } finally {
        await stop(backend.child);
      }
    }
  }
} finally {
  stub.close();
}

// Each figure: the median of the rounds (min–max), as bench/run.mjs gives its timings; errors: all rounds'.
const results = libraries.map((l) => {
  const rs = rounds[l.name];
  const figure = (key) => stats(rs.map((r) => r[key]));
  const errorKinds = {};
  for (const r of rs) for (const [why, n] of Object.entries(r.errorKinds)) errorKinds[why] = (errorKinds[why] ?? 0) + n;
  return { library: l.name, label: l.label, build: l.name === 'rust' ? `${profile} build` : `Node ${process.version}`,
    refreshes: rs.map((r) => r.refreshes), errors: rs.reduce((n, r) => n + r.errors, 0), errorKinds,
    ...Object.fromEntries(['refreshSeconds', 'throughput', 'p50', 'p99', 'peakRssMB', 'backendCpuMsPerRefresh',
      'exchangeSeconds', 'rssIdleMB', 'backendCpuPercent', 'clientCpuPercent'].map((k) => [k, figure(k)])),
    rounds: rs };
});
const fmt = (s, digits) => (!s ? 'n/a' : s.runs > 1 ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
  : s.median.toFixed(digits));

console.log(`\n${CLIENTS} clients × ${REFRESHES} refreshes each, ${ROUNDS} rounds (median (min–max) of the rounds), loopback,`
  + ` ${availableParallelism()} cores shared by the clients, the stub and the backend; load average ${LOAD.toFixed(2)} before the run\n`);
printTable([
  ['library', 'build', 'refreshes', 'time (s)', 'refreshes/s', 'p50 (ms)', 'p99 (ms)', 'errors', 'peak RSS (MB)',
    'backend CPU / refresh (ms)'],
  null,
  ...results.map((r) => [r.label, r.build, r.refreshes.join(' + '), fmt(r.refreshSeconds, 2), fmt(r.throughput, 0),
    fmt(r.p50, 1), fmt(r.p99, 1), r.errors, fmt(r.peakRssMB, 1), fmt(r.backendCpuMsPerRefresh, 2)]),
]);
for (const r of results) {
  console.log(`\n${r.label}: ${CLIENTS} code exchanges in ${fmt(r.exchangeSeconds, 2)} s; idle RSS ${fmt(r.rssIdleMB, 1)} MB;`
    + ` CPU during the refreshes: backend ${fmt(r.backendCpuPercent, 0)} %, clients + stub ${fmt(r.clientCpuPercent, 0)} %`
    + ` (of one core); stub, each round: ${r.rounds.map((x) => JSON.stringify(x.stub)).join(' ')}`);
  for (const [why, n] of Object.entries(r.errorKinds)) console.log(`  error ×${n}: ${why}`);
  for (const line of new Set(r.rounds.flatMap((x) => x.log))) console.log(`  backend log: ${line}`);
}
writeFileSync(JSON_OUT, `${JSON.stringify({ date: new Date().toISOString(), node: process.version,
  cores: availableParallelism(), loadAverage: LOAD, clients: CLIENTS, refreshesPerClient: REFRESHES, rounds: ROUNDS,
  rustBinary: RUST_BIN, results }, null, 2)}\n`);
console.log(`\nwritten to ${JSON_OUT}`);
if (deadline.aborted) console.log(`stopped at the ${DEADLINE_MS / 1000} s bound: rounds missing or cut short`);
process.exitCode = deadline.aborted || results.some((r) => r.errors || r.refreshes.some((n) => n < CLIENTS * REFRESHES)) ? 1 : 0;
