// bench_render.mjs — time to first render of the Today page in headless
// Chromium: from navigation start until every session card with its people
// is on screen (and First Contentful Paint), median and worst of RUNS loads.
// Env: HUB_URL, RUNS (default 7). Prints one JSON line.
import { HUB, launch } from './lib.mjs';

const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
const page = await ctx.newPage();
await page.goto(`${HUB}/`);
await page.fill('input[type=email]', 'demo@presentie.test');
await page.fill('input[type=password]', 'presentie-demo');
await page.click('button[type=submit]');
await page.waitForSelector('[data-session]', { timeout: 30000 });
const runs = Number(process.env.RUNS || 7);
const total = [], fcp = [];
let cards = 0;
for (let i = 0; i < runs; i++) {
  const t0 = Date.now();
  await page.goto(`${HUB}/#/today`, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.querySelectorAll('[data-session]').length >= 50, null, { timeout: 30000 });
  total.push(Date.now() - t0);
  cards = await page.evaluate(() => document.querySelectorAll('[data-session]').length);
  fcp.push(await page.evaluate(() => {
    const e = performance.getEntriesByName('first-contentful-paint')[0];
    return e ? Math.round(e.startTime) : -1;
  }));
  await page.goto('about:blank');
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(JSON.stringify({ cards, median_ms: med(total), max_ms: Math.max(...total), fcp_median_ms: med(fcp) }));
await browser.close();
