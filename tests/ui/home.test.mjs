// The home page (总览): three pillar columns with their counts and cards,
// the period and area selectors, the 中文/English switch, sample data marked,
// and the screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { open, homeReady, SHOTS, PHONE } from './browser.mjs';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

test('the home page loads in Chinese with three pillar columns and cards with numbers and units', async () => {
  await page.goto(ui.url('#/'));
  await homeReady(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal((await page.textContent('nav [data-nav="home"]')).trim(), '总览');
  const pillars = page.locator('[data-testid="pillar"]');
  assert.equal(await pillars.count(), 3);
  const heads = await pillars.locator('h2').allTextContents();
  assert.deepEqual(heads.map((s) => s.trim()[0]), ['稳', '活', '优']);
  for (let k = 0; k < 3; k++) {
    const col = pillars.nth(k);
    // Each column counts ahead, close, behind, and as many cards as it counts.
    const counts = (await col.locator('.count b').allTextContents()).map(Number);
    assert.equal(counts.length, 3);
    const cards = col.locator('[data-testid="card"]');
    assert.ok(await cards.count() >= 1, `column ${heads[k]} has cards`);
    assert.equal(counts.reduce((a, b) => a + b, 0), await cards.count(), `column ${heads[k]}: counts = cards`);
  }
  // Cards carry a figure with its unit, 同比, 完成率 against 序时进度 and a light.
  const gdp = page.locator('[data-testid="card"][data-indicator="GDP"]');
  assert.match(await gdp.locator('[data-testid="value"]').textContent(), /^\d[\d,]*\.\d\d$/);
  assert.equal((await gdp.locator('[data-testid="unit"]').textContent()).trim(), '亿元');
  const text = await gdp.textContent();
  for (const word of ['累计', '同比', '完成率', '序时进度', '年度目标', '全省平均']) assert.ok(text.includes(word), word);
  assert.match(text, /(超序时|接近|滞后)/);
  const values = await page.locator('[data-testid="card"] [data-testid="value"]').allTextContents();
  assert.ok(values.length >= 20);
  for (const v of values) assert.match(v, /\d/);
  const units = await page.locator('[data-testid="card"] [data-testid="unit"]').allTextContents();
  assert.ok(units.every((u) => u.trim().length > 0), 'every card has a unit');
  assert.ok(units.includes('万吨') && units.includes('%'));
  // The period is named the Chinese way and the sample data is marked.
  assert.match(await page.textContent('h1'), /锦州市.*2025年1-9月/);
  assert.equal(await page.inputValue('#period'), '2025-09');
  assert.ok(await page.locator('[data-testid="sample"]').isVisible());
  assert.equal((await page.textContent('[data-testid="sample"]')).trim(), '样例数据');
  // Alerts: the indicators behind schedule; quality only when signed in.
  const alerts = await page.textContent('[data-testid="alerts"]');
  assert.match(alerts, /滞后序时进度的指标/);
  assert.match(alerts, /登录/);
  await page.screenshot({ path: join(SHOTS, 'home.png'), fullPage: true });
  assert.ok(existsSync(join(SHOTS, 'home.png')) && statSync(join(SHOTS, 'home.png')).size > 50000);
});

test('the period and area selectors change the figures', async () => {
  await page.goto(ui.url('#/'));
  await homeReady(page);
  const before = await page.textContent('[data-indicator="FAI"] [data-testid="value"]');
  await page.selectOption('#period', '2025-06');
  await page.waitForFunction(() => /2025年1-6月/.test(document.querySelector('h1')?.textContent));
  await homeReady(page);
  assert.match(page.url(), /period=2025-06/);
  const june = await page.textContent('[data-indicator="FAI"] [data-testid="value"]');
  assert.notEqual(june, before);
  assert.match(await page.textContent('[data-indicator="FAI"]'), /序时进度 50\.0%/);
  await page.selectOption('#area', '210726');
  await page.waitForFunction(() => /黑山县/.test(document.querySelector('h1')?.textContent));
  await homeReady(page);
  assert.equal(await page.locator('[data-testid="pillar"]').count(), 3);
  assert.equal(await page.inputValue('#period'), '2025-06');
});

test('the English switch changes the labels and is remembered', async () => {
  await page.goto(ui.url('#/'));
  await homeReady(page);
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en'
    && document.querySelector('[data-testid="pillar"] h2')?.textContent.includes('Stable'));
  await homeReady(page);
  assert.equal((await page.textContent('nav [data-nav="home"]')).trim(), 'Overview');
  assert.equal(await page.getAttribute('button[data-lang="en"]', 'aria-pressed'), 'true');
  const heads = await page.locator('[data-testid="pillar"] h2').allTextContents();
  assert.ok(heads[0].includes('Stable') && heads[1].includes('Vital') && heads[2].includes('Excellent'), heads.join('|'));
  assert.match(await page.textContent('h1'), /Jinzhou.*Jan–Sep 2025/);
  const gdp = await page.textContent('[data-indicator="GDP"]');
  assert.match(gdp, /Gross regional product/);
  assert.match(gdp, /Year to date/);
  assert.match(gdp, /Completion/);
  assert.doesNotMatch(gdp, /累计|完成率/);
  assert.equal((await page.textContent('[data-testid="sample"]')).trim(), 'Sample data');
  // Remembered across a reload, then back to 中文.
  await page.reload();
  await homeReady(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal((await page.textContent('nav [data-nav="home"]')).trim(), 'Overview');
  await page.click('button[data-lang="zh"]');
  await page.waitForFunction(() => document.querySelector('nav [data-nav="home"]').textContent === '总览');
  assert.equal(await page.evaluate(() => localStorage.getItem('civstat.lang')), 'zh');
});

test('the home page fits a phone: one column, no sideways scrolling', async () => {
  const phone = await ui.page(PHONE);
  await phone.goto(ui.url('#/'));
  await homeReady(phone);
  const { scroll, client } = await phone.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `page ${scroll}px wide in a ${client}px window`);
  const xs = await phone.locator('[data-testid="pillar"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
  assert.equal(new Set(xs).size, 1, 'the pillars stack');
  await phone.screenshot({ path: join(SHOTS, 'home-phone.png') });
  await phone.close();
});

test('the home page marks when it stands complete, for make bench', async () => {
  await page.goto(ui.url('#/'));
  await page.reload();
  await homeReady(page);
  // Set once, after the figures are shown; the time is for make bench alone.
  await page.waitForFunction(() => performance.getEntriesByName('civstat-home-ready', 'mark').length === 1);
  await page.goto(ui.url('#/indicator'));
  await page.goto(ui.url('#/'));
  await homeReady(page);
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => performance.getEntriesByName('civstat-home-ready', 'mark').length), 1);
});

test('no console errors', () => {
  assert.deepEqual(ui.errors, []);
});
