// The 对标 page: the city against 全省平均, 沿海6市平均 and 营口 on an
// indicator (a bar chart and the gaps in points), and the areas below
// ranked on it; Chinese first, English by the switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, inkOf, SHOTS, PHONE } from './browser.mjs';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

async function drawn(p) {
  await p.waitForSelector('#chart-compare[data-drawn="1"] canvas', { timeout: 15000 });
  return inkOf(p, '#chart-compare canvas');
}

test('the 对标 page compares the city with the three groups, in Chinese', async () => {
  await page.goto(ui.url('#/'));
  await page.click('nav [data-nav="compare"]');
  await page.waitForSelector('[data-testid="gap-table"] tbody tr', { timeout: 15000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal((await page.textContent('nav [data-nav="compare"]')).trim(), '对标');
  assert.equal(await page.getAttribute('nav [data-nav="compare"]', 'aria-current'), 'page');
  assert.match(await page.textContent('h1'), /对标分析[\s\S]*锦州市[\s\S]*2025年1-9月/);
  assert.equal(await page.inputValue('#indicator'), 'FAI', 'FAI by default');
  const options = await page.locator('#indicator option').allTextContents();
  assert.ok(options.length >= 10 && options.includes('地区生产总值'), options.join('|'));
  assert.ok(await page.locator('#period').count(), 'the period selector');
  assert.equal(await page.locator('#area').count(), 0, 'no area selector: the city is compared');

  const rows = page.locator('[data-testid="gap-row"]');
  assert.deepEqual(await rows.locator('th').allTextContents(), ['全省平均', '沿海6市平均', '营口']);
  const gaps = await rows.locator('[data-testid="gap"]').allTextContents();
  assert.ok(gaps.every((g) => /^[▲▼][\d.]+个百分点$/.test(g)), gaps.join('|'));
  // FAI is up: ahead of the province is good, behind 营口 is bad.
  const cls = await rows.locator('[data-testid="gap"]').evaluateAll((els) => els.map((e) => e.className));
  assert.match(gaps[0], /^▲/);
  assert.match(cls[0], /\bgood\b/);
  assert.match(gaps[2], /^▼/);
  assert.match(cls[2], /\bbad\b/);

  assert.ok(await drawn(page) > 500, 'the chart has drawn');
  const cats = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById('chart-compare'))
    .getOption().xAxis[0].data);
  assert.deepEqual(cats, ['锦州市', '全省平均', '沿海6市平均', '营口']);
  assert.ok(await page.locator('[data-testid="sample"]').isVisible());
});

test('the areas below ranked on the indicator, with score and light', async () => {
  const rows = page.locator('[data-testid="rank-table"] tbody tr');
  assert.equal(await rows.count(), 10);
  assert.deepEqual((await rows.locator('td.rank').allTextContents()).map(Number), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const lights = await rows.locator('.light').allTextContents();
  assert.equal(lights.length, 10);
  assert.ok(lights.every((l) => /超序时|接近|滞后/.test(l)), lights.join('|'));
  const scores = (await rows.locator('td:nth-child(3)').allTextContents()).map((s) => Number(s.replace(/,/g, '')));
  assert.ok(scores.every(Number.isFinite), scores.join('|'));
  assert.ok(scores.every((s, k) => !k || s <= scores[k - 1]), 'in order of score');
  await drawn(page);
  await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
});

test('another indicator; a lower-is-better one colours its gaps the other way', async () => {
  await page.selectOption('#indicator', 'UNEMP');
  await page.waitForFunction(() => /indicator=UNEMP/.test(location.hash));
  await page.waitForSelector('#chart-compare[data-drawn="1"]');
  assert.match(await page.textContent('.page.compare .meta'), /城镇调查失业率|UNEMP/);
  const cells = page.locator('[data-testid="gap"]');
  const pairs = await cells.evaluateAll((els) => els.map((e) => [e.textContent, e.className]));
  assert.equal(pairs.length, 3);
  for (const [text, cls] of pairs) {
    if (text.startsWith('▲')) assert.match(cls, /\bbad\b/, text);
    if (text.startsWith('▼')) assert.match(cls, /\bgood\b/, text);
  }
});

test('the English switch', async () => {
  await page.goto(ui.url('#/compare'));
  await drawn(page);
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en'
    && document.querySelector('#chart-compare[data-drawn="1"]'));
  assert.equal((await page.textContent('nav [data-nav="compare"]')).trim(), 'Benchmarks');
  assert.match(await page.textContent('h1'), /Benchmarks/);
  const rows = page.locator('[data-testid="gap-row"]');
  assert.deepEqual(await rows.locator('th').allTextContents(), ['Province avg', 'Coastal-6 avg', 'Yingkou']);
  const gaps = await rows.locator('[data-testid="gap"]').allTextContents();
  assert.ok(gaps.every((g) => /^[▲▼][\d.]+ pp$/.test(g)), gaps.join('|'));
  assert.equal(await page.locator('[data-testid="rank-table"] tbody tr').count(), 10);
  const phone = await ui.page(PHONE);
  await phone.goto(ui.url('#/compare'));
  assert.ok(await drawn(phone) > 500);
  await phone.screenshot({ path: join(SHOTS, 'compare-phone.png'), fullPage: true });
  await phone.close();
  await page.click('button[data-lang="zh"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
});

test('no console errors', () => {
  assert.deepEqual(ui.errors, []);
});
