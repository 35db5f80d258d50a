// 填报 and 审核: a clerk enters its department's figures in the grid (last
// period and last year beside each cell, a jump asks for an explanation),
// saves the draft and submits; the reviewer approves from the queue and the
// home page's city total includes the figure; a figure returned with a
// reason comes back to the clerk, who corrects and submits it again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { open, homeReady, SHOTS, PHONE, signIn as signInAs } from './browser.mjs';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

const PERIOD = '2025-10'; // the month after the demo city's latest
const cell = (ind, area) => page.locator(`td.cell[data-indicator="${ind}"][data-area="${area}"]`);
const num = (s) => Number(String(s).replace(/[^\d.-]/g, ''));

const signIn = (name) => signInAs(ui, page, name);

async function entryGrid(period = PERIOD) {
  await page.goto(ui.url(`#/entry?period=${period}`));
  await page.waitForSelector('[data-testid="entry-grid"] td.cell', { timeout: 15000 });
}

async function cityFAI() {
  await page.goto(ui.url(`#/?period=${PERIOD}`));
  await homeReady(page);
  return page.textContent('[data-testid="card"][data-indicator="FAI"] [data-testid="value"]');
}

async function queueRow(ind, area, period = PERIOD) {
  await page.goto(ui.url('#/review'));
  const row = page.locator(`[data-testid="queue"] tr[data-indicator="${ind}"][data-area="${area}"][data-period="${period}"]`);
  await row.waitFor({ timeout: 20000 });
  return row;
}

let before10;

test('the entry and review links appear only for the roles that may use them', async () => {
  await page.goto(ui.url('#/'));
  await homeReady(page);
  before10 = await cityFAI();
  assert.equal(await page.locator('nav [data-nav="entry"]').isVisible(), false);
  assert.equal(await page.locator('nav [data-nav="review"]').isVisible(), false);
  await page.goto(ui.url('#/entry'));
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /以填报员身份登录/);
  await signIn('clerk');
  assert.equal((await page.textContent('nav [data-nav="entry"]')).trim(), '填报');
  assert.equal(await page.locator('nav [data-nav="entry"]').isVisible(), true);
  assert.equal(await page.locator('nav [data-nav="review"]').isVisible(), false);
});

test('the clerk sees its department grid: the latest month by default, submitted figures read-only', async () => {
  await page.click('nav [data-nav="entry"]');
  await page.waitForSelector('[data-testid="entry-grid"] td.cell', { timeout: 15000 });
  assert.equal(await page.inputValue('#entry-period'), '2025-09');
  assert.match(await page.textContent('[data-testid="dept"]'), /市发展和改革委员会/);
  // FGW's monthly indicators × the ten counties and zones below the city.
  const inds = await page.locator('[data-testid="entry-grid"] tbody tr:first-child td.cell').evaluateAll((t) => t.map((x) => x.dataset.indicator));
  assert.deepEqual(inds.sort(), ['FAI', 'PROJ_NEW_START']);
  assert.equal(await page.locator('[data-testid="entry-grid"] tbody tr').count(), 10);
  // Submitted and approved figures are locked with their state shown.
  const sub = cell('FAI', '210781');
  assert.equal(await sub.getAttribute('data-state'), 'submitted');
  assert.equal(await sub.locator('input').count(), 0);
  assert.equal((await sub.locator('[data-testid="state"]').textContent()).trim(), '已提交');
  assert.equal((await sub.locator('[data-testid="locked"]').textContent()).trim(), '4.92');
  assert.equal((await sub.locator('[data-testid="prev"]').textContent()).trim(), '5.77');
  assert.equal((await cell('FAI', '210702').locator('[data-testid="state"]').textContent()).trim(), '已通过');
  assert.match(await page.textContent('[data-testid="entry-counts"]'), /已提交 \d+ · 已通过 \d+/);
});

test('a clerk enters a figure with a jump, saves the draft and submits it with its explanation', async () => {
  await page.selectOption('#entry-period', PERIOD);
  await page.waitForFunction(() => /2025年10月/.test(document.querySelector('h1')?.textContent));
  await page.waitForSelector('[data-testid="entry-grid"] td.cell');
  const c = cell('FAI', '210781');
  assert.equal(await c.getAttribute('data-state'), 'none');
  const prev = num(await c.locator('[data-testid="prev"]').textContent());
  assert.equal(prev, 4.92, 'last period beside the cell');
  assert.ok(num(await c.locator('[data-testid="year"]').textContent()) > 0, 'last year beside the cell');
  // Not a number: said at the cell.
  await c.locator('input.cell-input').fill('4,9x');
  assert.equal((await c.locator('[data-testid="cell-error"]').textContent()).trim(), '请输入数字。');
  // A jump of more than 50% asks for an explanation.
  await c.locator('input.cell-input').fill('9.84');
  assert.equal(await c.locator('[data-testid="cell-error"]').textContent(), '');
  assert.match(await c.locator('.cell-warn').textContent(), /较上期▲100\.0%.*超过50%/);
  assert.ok(await c.locator('[data-testid="explain"]').isVisible());
  await page.click('[data-testid="save"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="entry-msg"]')?.textContent === '已保存草稿 1 项。');
  assert.equal(await c.getAttribute('data-state'), 'draft');
  assert.equal((await c.locator('[data-testid="state"]').textContent()).trim(), '草稿');
  // Submitting without the explanation is refused at the cell.
  await page.click('[data-testid="submit"]');
  await page.waitForFunction(() => /请先更正/.test(document.querySelector('[data-testid="entry-msg"]')?.textContent));
  assert.match(await c.locator('[data-testid="cell-error"]').textContent(), /请先填写说明/);
  assert.equal(await c.getAttribute('data-state'), 'draft');
  await c.locator('[data-testid="explain"]').fill('新开工重大项目集中入统');
  await page.click('[data-testid="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="entry-msg"]')?.textContent === '已提交审核 1 项。');
  assert.equal(await c.getAttribute('data-state'), 'submitted');
  assert.equal(await c.locator('input').count(), 0, 'a submitted figure is read-only');
  assert.equal((await c.locator('[data-testid="locked"]').textContent()).trim(), '9.84');
  // The server's history keeps the explanation with the figure.
  const hist = await page.evaluate(() => fetch('/api/v1/values/history?indicator=FAI&area=210781&period=2025-10').then((r) => r.json()));
  assert.ok(hist.items.some((x) => x.comment === '新开工重大项目集中入统'));
  await page.screenshot({ path: join(SHOTS, 'entry.png'), fullPage: true });
  assert.ok(existsSync(join(SHOTS, 'entry.png')) && statSync(join(SHOTS, 'entry.png')).size > 30000);
});

test('an error from the API is shown at the cell it names', async () => {
  await entryGrid();
  const c = cell('FAI', '210702');
  await c.locator('input.cell-input').fill('2.1');
  // Meanwhile the same figure is entered and submitted elsewhere.
  const api = await ui.server.login('clerk');
  const fig = { indicator: 'FAI', area: '210702', period: PERIOD };
  assert.equal((await api.post('/api/v1/values', { figures: [{ ...fig, value: 2.05 }] })).status, 200);
  assert.equal((await api.post('/api/v1/values/submit', { figures: [fig] })).status, 200);
  await page.click('[data-testid="save"]');
  await page.waitForFunction(() => /未保存/.test(document.querySelector('[data-testid="entry-msg"]')?.textContent));
  assert.match(await c.locator('[data-testid="cell-error"]').textContent(), /submitted/);
  assert.equal(await c.getAttribute('data-state'), 'none');
});

test('a clerk of another department sees its own grid, not FGW’s', async () => {
  await signIn('other');
  await page.goto(ui.url(`#/entry?period=${PERIOD}&dept=FGW`));
  await page.waitForSelector('[data-testid="dept"]');
  assert.match(await page.textContent('[data-testid="dept"]'), /市统计局/);
  assert.equal(await page.locator('td.cell[data-indicator="FAI"]').count(), 0);
});

test('the reviewer sees the figure in the queue with its neighbours and approves it', async () => {
  await signIn('reviewer');
  assert.equal(await page.locator('nav [data-nav="review"]').isVisible(), true);
  assert.equal(await page.locator('nav [data-nav="entry"]').isVisible(), false);
  const row = await queueRow('FAI', '210781');
  assert.equal((await row.locator('[data-testid="value"]').textContent()).trim(), '9.84亿元');
  assert.equal((await row.locator('[data-testid="prev"]').textContent()).trim(), '4.92');
  assert.match(await row.locator('[data-testid="note"]').textContent(), /新开工重大项目集中入统/);
  assert.match(await row.textContent(), /▲100\.0%/);
  assert.match(await page.textContent('[data-testid="queue-count"]'), /待审核 \d+ 项/);
  // The demo city's own submitted figures wait in the queue too.
  assert.ok(await page.locator('[data-testid="queue"] tbody tr').count() >= 30);
  await page.screenshot({ path: join(SHOTS, 'review.png'), fullPage: true });
  assert.ok(existsSync(join(SHOTS, 'review.png')) && statSync(join(SHOTS, 'review.png')).size > 30000);
  await row.locator('[data-testid="approve"]').click();
  await row.locator('[data-testid="state"]').waitFor();
  assert.equal((await row.locator('[data-testid="state"]').textContent()).trim(), '已通过');
  const state = await page.evaluate(() => fetch('/api/v1/values?indicator=FAI&area=210781&state=approved').then((r) => r.json()));
  assert.ok(state.items.some((x) => x.period === '2025-10' && x.value === 9.84));
});

test('the home page figures include the approved figure', async () => {
  const after10 = await cityFAI();
  assert.notEqual(after10, before10);
  assert.ok(num(after10) > num(before10) + 9, `${before10} -> ${after10}`);
});

test('a figure returned with a reason comes back to the clerk, who corrects and resubmits it', async () => {
  await signIn('clerk');
  await entryGrid();
  const c = cell('PROJ_NEW_START', '210711');
  const prev = num(await c.locator('[data-testid="prev"]').textContent());
  await c.locator('input.cell-input').fill(String(prev));
  if (await c.locator('[data-testid="explain"]').isVisible()) await c.locator('[data-testid="explain"]').fill('与去年同期口径不同');
  await page.click('[data-testid="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="entry-msg"]')?.textContent === '已提交审核 1 项。');

  await signIn('reviewer');
  const row = await queueRow('PROJ_NEW_START', '210711');
  await row.locator('[data-testid="return"]').click();
  const dialog = page.locator('[data-testid="return-dialog"]');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /新开工项目|PROJ_NEW_START|2025年10月/);
  // A reason is required.
  await page.click('[data-testid="confirm-return"]');
  assert.match(await page.textContent('#return-err'), /请填写退回原因/);
  assert.ok(await dialog.isVisible());
  await page.fill('#return-reason', '与项目台账不符，请核实');
  await page.click('[data-testid="confirm-return"]');
  await row.locator('[data-testid="state"]').waitFor();
  assert.equal((await row.locator('[data-testid="state"]').textContent()).trim(), '已退回');
  assert.equal(await dialog.isVisible(), false);

  await signIn('clerk');
  await entryGrid();
  const back = cell('PROJ_NEW_START', '210711');
  assert.equal(await back.getAttribute('data-state'), 'returned');
  assert.equal((await back.locator('[data-testid="state"]').textContent()).trim(), '已退回');
  assert.equal((await back.locator('[data-testid="reason"]').textContent()).trim(), '退回原因：与项目台账不符，请核实');
  await back.locator('input.cell-input').fill(String(prev + 1));
  if (await back.locator('[data-testid="explain"]').isVisible()) {
    const x = back.locator('[data-testid="explain"]');
    if (!(await x.inputValue())) await x.fill('已按台账更正');
  }
  await page.click('[data-testid="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="entry-msg"]')?.textContent === '已提交审核 1 项。');
  assert.equal(await back.getAttribute('data-state'), 'submitted');
  assert.equal((await back.locator('[data-testid="locked"]').textContent()).trim(), String(prev + 1));
});

test('the entry grid in English and on a phone', async () => {
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="save"]')?.textContent === 'Save draft');
  assert.equal((await page.textContent('nav [data-nav="entry"]')).trim(), 'Data entry');
  assert.match(await page.textContent('[data-testid="entry-counts"]'), /submitted \d+/);
  await page.click('button[data-lang="zh"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="save"]')?.textContent === '保存草稿');
  const phone = await ui.page(PHONE);
  await phone.goto(ui.url(`#/entry?period=${PERIOD}`));
  await phone.waitForSelector('[data-testid="entry-grid"] td.cell', { timeout: 15000 });
  const { scroll, client } = await phone.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `page ${scroll}px wide in a ${client}px window`);
  await phone.screenshot({ path: join(SHOTS, 'entry-phone.png') });
  await phone.close();
});

test('no console errors', () => {
  // The conflict of the API-error test answers 409, which the browser reports.
  assert.deepEqual(ui.errors.filter((e) => !/status of 409/.test(e)), []);
});
