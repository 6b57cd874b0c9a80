// The JavaScript library (www/server.js) as its own process for bench/backend-load.mjs: createExchangeHandler at
// POST /api/exchange over node:http, configured like playground-server (ANYPOINT_ISSUER, ANYPOINT_CLIENT_ID,
// ANYPOINT_CLIENT_SECRET, ANYPOINT_SIGNIN_SESSION_KEY, PLAYGROUND_ADDR), printing `listening on http://…`.
// It stops when its stdin ends, so it never outlives the benchmark.
import { createServer } from 'node:http';
import { createExchangeHandler } from '../www/server.js';

const env = process.env;
const handler = createExchangeHandler({ issuer: env.ANYPOINT_ISSUER, clientId: env.ANYPOINT_CLIENT_ID,
  clientSecret: env.ANYPOINT_CLIENT_SECRET, sessionKey: env.ANYPOINT_SIGNIN_SESSION_KEY });
const [host, port] = (env.PLAYGROUND_ADDR ?? '127.0.0.1:0').split(':');

let origin;
const server = createServer(async (req, res) => {
  const url = new URL(req.url, origin);
  if (url.pathname !== '/api/exchange') return res.writeHead(404).end();
  // The node:http adapter: the request as a Fetch API Request, the Response written back. Set-Cookie goes as a
  // list (Object.fromEntries(headers) would keep only the last of the two cookies).
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
  const answer = await handler(new Request(url, { method: req.method, headers: req.headers, body }));
  const headers = [...answer.headers].filter(([name]) => name !== 'set-cookie');
  const cookies = answer.headers.getSetCookie();
  if (cookies.length) headers.push(['set-cookie', cookies]);
  res.writeHead(answer.status, Object.fromEntries(headers)).end(Buffer.from(await answer.arrayBuffer()));
});
server.listen(Number(port), host, () => {
  origin = `http://${host}:${server.address().port}`;
  console.log(`listening on ${origin}`);
});
process.stdin.on('end', () => process.exit(0)).resume();
