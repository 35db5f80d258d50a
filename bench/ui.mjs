// The cockpit's speed as a visitor sees it, for make bench: the home page
// (总览) of a fresh demo city in headless chromium, loaded once cold (an
// empty cache) and then WARM more times (default 7); the time from
// navigation start to the app's 'civstat-home-ready' mark (the frame that
// paints its figures, with any chart on it drawn), and the
// JavaScript and CSS the page loads, uncompressed.  Prints "name: value
// unit" lines.  Usage: node bench/ui.mjs BIN [WARM]
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';

const [bin = 'build/civstat', warm = '7'] = process.argv.slice(2);
process.env.CIVSTAT = resolve(bin);
// The test harness reads CIVSTAT when it loads: import it after setting it.
const { start, TOP } = await import('../tests/api/harness.mjs');

const MARK = 'civstat-home-ready';
const server = await start({ static: resolve(TOP, 'web/dist') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});

// Loads a page and waits until ready(page) resolves; its answer and the
// bytes of the scripts and style sheets that came over the network.
async function load(page, hash, ready) {
  let bytes = 0;
  const pending = [];
  const count = (res) => {
    if (['script', 'stylesheet'].includes(res.request().resourceType())) {
      pending.push(res.body().then((b) => { bytes += b.length; }, () => {}));
    }
  };
  page.on('response', count);
  await page.goto('about:blank');
  await page.goto(`${server.url}/${hash}`);
  const ms = await ready(page);
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  page.off('response', count);
  return { ms, bytes };
}

// ms from navigation start to the home page's mark.
const homeReady = (page) => page.waitForFunction((m) => performance.getEntriesByName(m)[0]?.startTime, MARK,
  { timeout: 60000 }).then((h) => h.jsonValue());

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };

try {
  const desktop = { viewport: { width: 1366, height: 768 }, locale: 'zh-CN' };
  const page = await (await browser.newContext(desktop)).newPage();
  const cold = await load(page, '', homeReady);
  const times = [];
  for (let k = 0; k < +warm; k++) times.push((await load(page, '', homeReady)).ms);
  // With an empty cache again, the indicator page: what it weighs with ECharts.
  const p2 = await (await browser.newContext(desktop)).newPage();
  const indicator = await load(p2, '#/indicator/FAI', (p) => p.waitForSelector('#chart-yoy[data-drawn="1"]', { timeout: 60000 }));
  console.log(`ui_home_ready_first_ms: ${cold.ms.toFixed(0)} ms`);
  console.log(`ui_home_ready_ms: ${median(times).toFixed(0)} ms`);
  console.log(`ui_home_js_css_bytes: ${cold.bytes} bytes`);
  console.log(`ui_indicator_js_css_bytes: ${indicator.bytes} bytes`);
} finally {
  await browser.close();
  await server.stop();
}
