// Embeds: each page as it is, and with the best hints its head can give: ours with
// <link rel="modulepreload"> of the entry module and <link rel="preload" as="fetch" crossorigin> of the main
// wasm, each peer with a modulepreload of its bundle. Times page start → button visible; prints medians.
//
//   node bench/embeds.mjs [--runs N] [--slow]
//
// Uses www/dist as built (scripts/build.sh); builds the peers' bundles. --slow: 9 Mbit/s, 40 ms latency.
import { readFileSync, writeFileSync } from 'node:fs';
import { launch } from '../tests/browser/support.mjs';
import { startSite } from '../playground/serve.mjs';
import { OUT, RUNS, SLOW, buildPages, firstPaint, instrument, ms, printTable, rotate, stats, throttle } from './common.mjs';

const pages = await buildPages();
// The hints go first in the head, before the page's own script.
for (const p of pages) {
  const links = p.name === 'ours'
    ? `<link rel="modulepreload" href="${p.entry}"><link rel="preload" as="fetch" crossorigin href="/anypoint-signin/anypoint_signin_bg.wasm">`
    : `<link rel="modulepreload" href="${p.entry}">`;
  writeFileSync(`${OUT}/${p.name}-preload.html`, readFileSync(`${OUT}/${p.name}.html`, 'utf8').replace('<head>', `<head>${links}`));
}
const variants = pages.flatMap((p) => [{ ...p, path: `${p.name}.html` }, { ...p, path: `${p.name}-preload.html` }]);

const [browser, site] = await Promise.all([launch(), startSite({ pages: OUT })]);
const samples = Object.fromEntries(variants.map((v) => [v.path, []]));
try {
  for (let i = 0; i < RUNS; i++) {
    for (const v of rotate(variants, i)) {
      const context = await browser.newContext();
      await context.addInitScript(instrument, v.seen);
      const page = await context.newPage();
      await throttle(context, page);
      try {
        samples[v.path].push(await firstPaint(page, `${site.origin}/${v.path}`));
      } finally {
        await context.close();
      }
    }
    process.stderr.write(`embeds: run ${i + 1}/${RUNS}\r`);
  }
} finally {
  await browser.close();
  await site.close();
}
process.stderr.write('\n');

console.log(`page start → button visible, ms as median (min–max), ${RUNS} runs, ${SLOW ? '9 Mbit/s, 40 ms latency' : 'loopback'}\n`);
printTable([
  ['page', 'as it is', 'with preload hints', 'hints / as it is'],
  null,
  ...pages.map((p) => {
    const [plain, hinted] = [stats(samples[`${p.name}.html`]), stats(samples[`${p.name}-preload.html`])];
    return [p.label, ms(plain), ms(hinted), (hinted.median / plain.median).toFixed(2)];
  }),
]);
