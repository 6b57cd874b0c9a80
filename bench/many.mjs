// Many buttons on one page (issue 21): for 1, 10 and 200 elements of one connected app, the time from page start
// to every button rendered (the wasm's), the discovery requests, every request the page made, and the JS heap
// (CDP Performance.getMetrics, after a garbage collection), in Chromium on loopback. Prints a Markdown table.
//
//   node bench/many.mjs [--runs N]
import { launch, site } from '../tests/browser/support.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [browser, demo] = await Promise.all([launch(), site()]);
const rows = [];
try {
  for (const n of [1, 10, 200]) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${demo.origin}/many.html?n=${n}`);
      const shown = await page.waitForFunction(() => {
        const all = [...document.querySelectorAll('anypoint-signin')];
        return all.length && all.every((e) => e.shadowRoot?.querySelector('.button')) && performance.now();
      }, null, { timeout: 30000, polling: 'raf' });
      // Idle: each element has fetched discovery ahead of a click by then (2 s at most).
      await page.waitForTimeout(2500);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
      samples.push({ shown: await shown.jsonValue(), heap, requests: requests.length,
        discovery: requests.filter((u) => u.includes('openid-configuration')).length });
      await context.close();
    }
    rows.push({ n, shown: median(samples.map((s) => s.shown)), heap: median(samples.map((s) => s.heap)),
      requests: median(samples.map((s) => s.requests)), discovery: Math.max(...samples.map((s) => s.discovery)) });
  }
} finally {
  await browser.close();
  await demo.close();
}
console.log(`| elements | page start → every button (ms, median of ${runs}) | requests | discovery requests | JS heap (MB) | heap per element (KB) |`);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const per = r.n > 1 ? ((r.heap - rows[0].heap) / (r.n - 1) / 1024).toFixed(1) : '';
  console.log(`| ${r.n} | ${r.shown.toFixed(0)} | ${r.requests} | ${r.discovery} | ${(r.heap / 1048576).toFixed(2)} | ${per} |`);
}
