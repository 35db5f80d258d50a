// 公开: the page of what the city publishes, open without signing in.  It
// shows the indicators marked public and only those, the same for a
// resident and for staff; anyone not signed in sees only those anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ACCOUNTS } from '../api/harness.mjs';
import { open, homeReady, SHOTS, PHONE } from './browser.mjs';

let ui;
before(async () => { ui = await open(); });
after(async () => { await ui.stop(); });

const rowsOf = (page) => page.$$eval('[data-testid="public-pillar"] tr[data-indicator]',
  (trs) => trs.map((tr) => tr.dataset.indicator));

test('a resident sees the public indicators, by pillar, without signing in', async () => {
  const page = await ui.page();
  await page.goto(ui.url('#/public'));
  await page.waitForSelector('[data-testid="public-pillar"] tr[data-indicator]');
  assert.match(await page.textContent('h1'), /锦州市发展成绩单 · 2025年1-9月/);
  assert.equal(await page.getAttribute('nav a[data-nav="public"]', 'aria-current'), 'page');
  assert.equal((await page.$$('[data-testid="public-pillar"]')).length, 3, '稳 活 优');
  const shown = await rowsOf(page);
  // What the API gives the public, with a figure for the period.
  const api = await page.evaluate(() => fetch('/api/v1/progress?period=2025-09').then((r) => r.json()));
  const expected = api.filter((row) => row.ytd_value !== null).map((row) => row.indicator);
  assert.deepEqual([...shown].sort(), [...expected].sort());
  assert.ok(shown.length > 20);
  for (const internal of ['CONTRACT_INV', 'FAI_IND_SHARE']) assert.ok(!shown.includes(internal), internal);
  // A figure with its unit, 同比 and 完成率 on the GDP row.
  const gdp = await page.textContent('tr[data-indicator="GDP"]');
  assert.match(gdp, /地区生产总值/);
  assert.match(gdp, /亿元/);
  assert.match(gdp, /%/);
  // The demo's sample figures are marked as such.
  assert.match(await page.textContent('main'), /样例数据/);
  // The annual results: the figures the report quotes, with their year;
  // the demo's sample years are not among them.
  const annual = await page.$$eval('[data-testid="annual"] tr[data-indicator]', (trs) => trs.map((tr) => tr.textContent));
  assert.ok(annual.length > 10, annual.join(' | '));
  assert.ok(annual.every((x) => /引自报道$/.test(x)));
  assert.match(await page.textContent('[data-testid="annual"] tr[data-indicator="GDP_AVG_G"]'), /2022年3\.8%引自报道/);
  assert.ok(!(await page.$('[data-testid="annual"] tr[data-indicator="CONTRACT_INV"]')));
  await page.screenshot({ path: join(SHOTS, 'public-desktop.png'), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, 'public-phone.png') });
  // Nor does the catalogue name the internal indicators to the public.
  await page.goto(ui.url('#/indicator'));
  await page.waitForSelector('main table');
  assert.doesNotMatch(await page.textContent('main'), /招商引资实际到位资金/);
  await page.close();
});

test('staff see on 公开 what residents see, and all the indicators elsewhere', async () => {
  const page = await ui.page();
  await page.goto(ui.url('#/login'));
  await page.fill('#login-name', 'leader');
  await page.fill('#login-password', ACCOUNTS.leader[2]);
  await page.click('form.login-form button[type="submit"]');
  await homeReady(page);
  await page.goto(ui.url('#/public'));
  await page.waitForSelector('[data-testid="public-pillar"] tr[data-indicator]');
  const shown = await rowsOf(page);
  assert.ok(!shown.includes('CONTRACT_INV'));
  await page.goto(ui.url('#/indicator'));
  await page.waitForSelector('main table');
  assert.match(await page.textContent('main'), /招商引资实际到位资金/, 'the leader sees the internal indicators');
  await page.close();
});

test('no console errors', () => {
  assert.deepEqual(ui.errors, []);
});
