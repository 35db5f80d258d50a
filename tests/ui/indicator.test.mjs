// The indicator page (指标): the series chart against the target path, the
// 同比 bars with the benchmarks, the areas below with lights and ranks; the
// list of indicators; the printable brief (简报).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, homeReady, inkOf, SHOTS, PHONE } from './browser.mjs';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

async function drawn(p, id) {
  await p.waitForSelector(`#${id}[data-drawn="1"] canvas`, { timeout: 15000 });
  return inkOf(p, `#${id} canvas`);
}

test('the indicator page draws the series chart and the 同比 chart', async () => {
  await page.goto(ui.url('#/indicator/FAI'));
  assert.ok(await drawn(page, 'chart-series') > 500, 'the series chart has drawn');
  assert.ok(await drawn(page, 'chart-yoy') > 500, 'the 同比 chart has drawn');
  const option = await page.evaluate(() => {
    const c = window.echarts.getInstanceByDom(document.getElementById('chart-series'));
    return c.getOption().series.map((s) => ({ name: s.name, n: s.data.filter((v) => v !== null).length }));
  });
  const names = option.map((s) => s.name);
  assert.ok(names.includes('2025年累计') && names.includes('目标序时进度') && names.includes('2024年同期'), names.join('|'));
  assert.equal(option.find((s) => s.name === '2025年累计').n, 9);
  assert.equal(option.find((s) => s.name === '目标序时进度').n, 12);
  const yoy = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById('chart-yoy'))
    .getOption().series.map((s) => s.name));
  assert.ok(yoy.includes('全省平均') && yoy.includes('沿海6市平均'), yoy.join('|'));
  const h1 = await page.textContent('h1');
  assert.match(h1, /固定资产投资/);
  assert.match(await page.textContent('.kpis'), /累计[\s\S]*亿元[\s\S]*完成率[\s\S]*同比/);
  assert.ok(await page.locator('[data-testid="sample"]').isVisible());
});

test('the indicator page lists the areas below with lights and ranks', async () => {
  await page.goto(ui.url('#/indicator/FAI?period=2025-09'));
  await page.waitForSelector('[data-testid="areas-table"] tbody tr');
  const rows = page.locator('[data-testid="areas-table"] tbody tr');
  assert.equal(await rows.count(), 10);
  const ranks = (await rows.locator('td.rank').allTextContents()).map(Number);
  assert.deepEqual(ranks, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(await rows.locator('.light').count(), 10);
  const lights = await rows.locator('.light').allTextContents();
  assert.ok(lights.every((l) => /超序时|接近|滞后/.test(l)));
  assert.match(await rows.first().textContent(), /亿元/);
  await drawn(page, 'chart-series');
  await page.screenshot({ path: join(SHOTS, 'indicator.png'), fullPage: true });
  // An area of the table opens its own page.
  await rows.nth(1).locator('a').click();
  await page.waitForFunction(() => /area=/.test(location.hash));
  await page.waitForSelector('#chart-series[data-drawn="1"]');
  assert.notEqual(await page.inputValue('#area'), '210700');
});

test('a card of the home page opens its indicator', async () => {
  await page.goto(ui.url('#/'));
  await homeReady(page);
  await page.click('[data-testid="card"][data-indicator="PORT_CARGO"] h3 a');
  assert.ok(await drawn(page, 'chart-series') > 500);
  assert.match(await page.textContent('h1'), /港口货物吞吐量/);
  // A rate: held to its target, 同比 in points.
  await page.goto(ui.url('#/indicator/IND_VA_G'));
  assert.ok(await drawn(page, 'chart-series') > 500);
  assert.match(await page.textContent('.kpis'), /个百分点/);
  const phone = await ui.page(PHONE);
  await phone.goto(ui.url('#/indicator/FAI'));
  assert.ok(await drawn(phone, 'chart-series') > 500);
  await phone.screenshot({ path: join(SHOTS, 'indicator-phone.png'), fullPage: true });
  await phone.close();
});

test('the list of indicators by pillar', async () => {
  await page.goto(ui.url('#/indicator'));
  await page.waitForSelector('.page.list table');
  assert.equal(await page.locator('.page.list section').count(), 3);
  assert.ok(await page.locator('.page.list tbody tr').count() >= 80);
  await page.fill('#filter', 'PORT');
  await page.press('#filter', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('.page.list tbody tr').length < 10);
  assert.match(await page.textContent('.page.list'), /港口货物吞吐量/);
});

test('the brief is a printable page marked as sample data', async () => {
  await page.goto(ui.url('#/brief'));
  await page.waitForSelector('[data-testid="brief"] h1');
  assert.equal((await page.textContent('[data-testid="brief"] h1')).trim(), '锦州市经济社会发展简报');
  const text = await page.textContent('[data-testid="brief"]');
  assert.match(text, /2025年1-9月/);
  assert.match(text, /样例数据/);
  assert.ok(await page.locator('[data-testid="brief"] .brief-list li').count() >= 20);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'no navigation on paper');
  await page.emulateMedia({ media: 'screen' });
  await page.screenshot({ path: join(SHOTS, 'brief.png'), fullPage: true });
});

test('no console errors', () => {
  assert.deepEqual(ui.errors, []);
});
