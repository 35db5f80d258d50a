// Live (实时): the leader's open home page follows the figures.  A clerk
// enters and submits a figure and a reviewer approves it, all through the
// API from outside the browser; the page redraws in place with the new
// city total and says when, without a reload, keeping its period, its
// scroll and what the page held in memory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ACCOUNTS } from '../api/harness.mjs';
import { open, homeReady, SHOTS } from './browser.mjs';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

const PERIOD = '2025-10'; // the month after the demo city's latest: no figures yet
const FAI = '[data-testid="card"][data-indicator="FAI"] [data-testid="value"]';
const num = (s) => Number(String(s).replace(/[^\d.-]/g, ''));
const one = (extra = {}) => ({ figures: [{ indicator: 'FAI', area: '210702', period: PERIOD, ...extra }] });

// The data version the server is at: the hello of a new event stream.
async function version() {
  const r = await ui.server.anonymous().peek('/api/v1/events');
  return JSON.parse(/^data: (.*)$/m.exec(r.text)[1]).version;
}

test('the leader\'s home page updates in place when a figure is entered, submitted and approved', async () => {
  await page.goto(ui.url('#/login'));
  await page.fill('#login-name', 'leader');
  await page.fill('#login-password', ACCOUNTS.leader[2]);
  await page.click('form.login-form button[type="submit"]');
  await page.waitForSelector('[data-testid="who"]');
  await page.goto(ui.url(`#/?period=${PERIOD}`));
  await page.waitForFunction(() => /2025年1-10月/.test(document.querySelector('h1')?.textContent));
  await homeReady(page);
  const url = page.url();
  const before = await page.textContent(FAI);
  // What a reload or a navigation would lose.
  await page.evaluate(() => { window.liveMarker = 'kept'; window.scrollTo(0, 300); });
  const scrolled = await page.evaluate(() => window.scrollY);
  assert.ok(scrolled > 0, 'the page scrolls');
  assert.equal(await page.locator('[data-testid="live"]').isVisible(), false, 'no status before any change');

  const clerk = await ui.server.login('clerk');
  const reviewer = await ui.server.login('reviewer');
  let r = await clerk.post('/api/v1/values', one({ value: 150, comment: 'live test' }));
  assert.equal(r.status, 200, r.text);
  r = await clerk.post('/api/v1/values/submit', one());
  assert.equal(r.status, 200, r.text);
  // The new figure shows without anybody touching the page.
  await page.waitForFunction(([sel, b]) => {
    const text = document.querySelector(sel)?.textContent;
    return text && text !== b;
  }, [FAI, before], { timeout: 15000 });
  const after = await page.textContent(FAI);
  assert.ok(num(after) > num(before) + 100, `${before} -> ${after}`);

  r = await reviewer.post('/api/v1/values/approve', one());
  assert.equal(r.status, 200, r.text);
  const v = await version();
  // The approval is told too: the page is redrawn at its version.
  await page.waitForFunction((want) => Number(document.querySelector('[data-testid="live"]')?.dataset.version) >= want
    && !document.querySelector('[data-testid="live"]').hidden, v, { timeout: 15000 });
  assert.match(await page.textContent('[data-testid="live"]'), /^数据已更新 \d{2}:\d{2}:\d{2}$/);
  assert.equal(await page.textContent(FAI), after, 'the approved figure stays in the total');
  const state = await page.evaluate(() => fetch('/api/v1/values?indicator=FAI&area=210702&state=approved').then((x) => x.json()));
  assert.ok(state.items.some((x) => x.period === PERIOD && x.value === 150));

  // No reload, no navigation: the same URL, the marker, the period, the scroll.
  assert.equal(await page.evaluate(() => window.liveMarker), 'kept');
  assert.equal(page.url(), url);
  assert.equal(await page.inputValue('#period'), PERIOD);
  assert.equal(await page.evaluate(() => window.scrollY), scrolled);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'live.png') });
});

test('an indicator page redraws its areas in place when one of them reports', async () => {
  await page.goto(ui.url(`#/indicator/FAI?period=${PERIOD}`));
  const cellOf = '[data-testid="areas-table"] tr[data-area="210781"] td:nth-child(3)';
  await page.waitForSelector(cellOf, { timeout: 15000 });
  await page.evaluate(() => { window.liveMarker = 'indicator'; });
  const url = page.url();
  const before = await page.textContent(cellOf);
  const clerk = await ui.server.login('clerk');
  const r = await clerk.post('/api/v1/values', { figures: [{ indicator: 'FAI', area: '210781', period: PERIOD, value: 77 }] });
  assert.equal(r.status, 200, r.text);
  await page.waitForFunction(([sel, b]) => {
    const text = document.querySelector(sel)?.textContent;
    return text && text !== b;
  }, [cellOf, before], { timeout: 15000 });
  assert.ok(num(await page.textContent(cellOf)) >= num(before) + 77, `${before} -> ${await page.textContent(cellOf)}`);
  assert.equal(await page.evaluate(() => window.liveMarker), 'indicator');
  assert.equal(page.url(), url);
});

test('the stream is closed when the user leaves the page, and the status goes', async () => {
  await page.click('nav [data-nav="brief"]');
  await page.waitForFunction(() => document.querySelector('#main')?.dataset.page === 'brief');
  assert.equal(await page.locator('[data-testid="live"]').isVisible(), false);
  // A change now redraws nothing: the brief stays as it is.
  const marker = await page.evaluate(() => { document.querySelector('#main > *').dataset.mark = '1'; return 1; });
  const clerk = await ui.server.login('clerk');
  const r = await clerk.post('/api/v1/values', { figures: [{ indicator: 'FAI', area: '210726', period: PERIOD, value: 5 }] });
  assert.equal(r.status, 200, r.text);
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => document.querySelector('#main > *').dataset.mark), String(marker));
});

test('no console errors', () => {
  assert.deepEqual(ui.errors, []);
});
