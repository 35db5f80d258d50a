// 数据修改记录 and 导出 on the indicator page (指标): a signed-in user
// (department and up) opens a figure's history from the areas table — who,
// when, what, before → after with the unit, the states, the comment; a
// leader or admin downloads the figures as CSV or as an Excel workbook; the
// public sees neither.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, SHOTS, signIn as signInAs } from './browser.mjs';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

const PERIOD = '2025-10'; // the month after the demo city's latest: no figures yet
const AREA = '210726'; // 黑山县, below the city
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const signIn = (name) => signInAs(ui, page, name);

async function indicator(period = PERIOD) {
  await page.goto(ui.url(`#/indicator/FAI?period=${period}&area=210700`));
  await page.waitForSelector('[data-testid="areas-table"] tbody tr', { timeout: 15000 });
}

const dialog = () => page.locator('[data-testid="history-dialog"]');
async function historyOpen() {
  await page.waitForSelector('[data-testid="history-dialog"][open][data-ready="1"]', { timeout: 10000 });
}

// The status and content type of a link of the page, fetched by the page with its cookie.
function fetchLink(testid) {
  return page.$eval(`[data-testid="${testid}"]`, async (a) => {
    const res = await fetch(a.href, { credentials: 'same-origin' });
    const body = await res.arrayBuffer();
    return {
      status: res.status, type: res.headers.get('content-type') || '', size: body.byteLength,
      magic: String.fromCharCode(...new Uint8Array(body.slice(0, 2))), download: a.getAttribute('download'),
    };
  });
}

test('the public sees neither history links nor export buttons', async () => {
  await indicator('2025-09');
  assert.equal(await page.locator('[data-testid="areas-table"] tbody tr').count(), 10);
  assert.equal(await page.locator('[data-testid="history"], [data-testid="history-area"]').count(), 0);
  assert.equal(await page.locator('[data-testid="export-csv"], [data-testid="export-xlsx"]').count(), 0);
  // A click on a row opens nothing.
  await page.locator(`[data-testid="areas-table"] tr[data-area="${AREA}"] td.rank`).click();
  assert.equal(await dialog().count(), 0);
});

test('a clerk sees the history links but not the export buttons', async () => {
  await signIn('clerk');
  await indicator('2025-09');
  assert.equal(await page.locator('[data-testid="areas-table"] [data-testid="history"]').count(), 10);
  assert.equal(await page.locator('[data-testid="export-csv"], [data-testid="export-xlsx"]').count(), 0);
  // The demo's figures came by import: their history says so.
  await page.locator(`[data-testid="areas-table"] tr[data-area="${AREA}"] [data-testid="history"]`).click();
  await historyOpen();
  assert.ok(await dialog().locator('[data-testid="history-row"]').count() >= 1);
  assert.match(await dialog().textContent(), /导入/);
  await dialog().locator('[data-testid="history-close"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="history-dialog"]').open);
});

test('as leader, a figure changed by the clerk shows its history', async () => {
  // The clerk enters FAI 黑山县 2025-10 and corrects it, through the API.
  const clerk = await ui.server.login('clerk');
  for (const [value, comment] of [[4.2, '县里首报'], [4.5, '更正：补报一个项目']]) {
    const r = await clerk.post('/api/v1/values', { figures: [{ indicator: 'FAI', area: AREA, period: PERIOD, value, comment }] });
    assert.equal(r.status, 200, r.text);
  }
  await signIn('leader');
  await indicator();
  const row = page.locator(`[data-testid="areas-table"] tr[data-area="${AREA}"]`);
  await row.locator('[data-testid="history"]').click();
  await historyOpen();
  assert.match(await dialog().locator('[data-testid="history-what"]').textContent(), /固定资产投资 · 黑山县 · 2025年10月/);
  const rows = dialog().locator('[data-testid="history-row"]');
  assert.equal(await rows.count(), 2);
  assert.deepEqual((await rows.locator('[data-testid="actor"]').allTextContents()).map((s) => s.trim()), ['clerk', 'clerk']);
  assert.deepEqual(await rows.locator('[data-testid="before"]').allTextContents(), ['—', '4.20']);
  assert.deepEqual(await rows.locator('[data-testid="after"]').allTextContents(), ['4.20', '4.50']);
  assert.match(await rows.nth(1).locator('[data-testid="change"]').textContent(), /^4\.20 → 4\.50亿元$/);
  assert.deepEqual(await rows.locator('[data-testid="comment"]').allTextContents(), ['县里首报', '更正：补报一个项目']);
  // When in local time, what was done, the states before and after.
  const when = await rows.first().locator('time').textContent();
  assert.match(when, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  const iso = await rows.first().locator('time').getAttribute('datetime');
  assert.ok(Math.abs(Date.parse(iso) - Date.now()) < 10 * 60 * 1000, iso);
  assert.match(await rows.first().textContent(), /录入[\s\S]*set FAI 210726 2025-10[\s\S]*未填[\s\S]*草稿/);
  assert.match(await rows.nth(1).textContent(), /草稿 → 草稿/);
  await page.screenshot({ path: join(SHOTS, 'history.png') });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-testid="history-dialog"]').open);

  // A click on another area's row: that figure has no changes.
  await page.locator('[data-testid="areas-table"] tr[data-area="210702"] td.rank').click();
  await historyOpen();
  assert.equal(await dialog().locator('[data-testid="history-row"]').count(), 0);
  assert.equal((await dialog().locator('[data-testid="history-empty"]').textContent()).trim(), '暂无修改记录。');
  await dialog().locator('[data-testid="history-close"]').click();
  // A click on the area's name still opens its page, not the history.
  await row.locator('a').click();
  await page.waitForFunction((a) => location.hash.includes(`area=${a}`), AREA);
  assert.equal(await dialog().evaluate((d) => d.open).catch(() => false), false);
});

test('a leader downloads the figures as CSV', async () => {
  await indicator();
  assert.equal((await page.textContent('[data-testid="export-csv"]')).trim(), '导出CSV');
  assert.match(await page.getAttribute('[data-testid="export-csv"]', 'href'), /\/api\/v1\/exports\/values\?format=csv$/);
  const csv = await fetchLink('export-csv');
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  assert.ok(csv.size > 1000, `${csv.size} bytes`);
  assert.match(csv.download, /\.csv$/);
});

test('a leader downloads the figures as an Excel workbook', async () => {
  assert.equal((await page.textContent('[data-testid="export-xlsx"]')).trim(), '导出Excel');
  assert.match(await page.getAttribute('[data-testid="export-xlsx"]', 'href'), /\/api\/v1\/exports\/values\?format=xlsx$/);
  const xlsx = await fetchLink('export-xlsx');
  assert.match(xlsx.download, /\.xlsx$/);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.type.split(';')[0].trim(), XLSX);
  assert.ok(xlsx.size > 100, `${xlsx.size} bytes`);
  assert.equal(xlsx.magic, 'PK', 'a zip: the workbook');
});

test('English: the history and export texts', async () => {
  await page.click('[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector('[data-testid="export-csv"]');
  assert.equal((await page.textContent('[data-testid="export-csv"]')).trim(), 'Export CSV');
  assert.equal((await page.textContent('[data-testid="export-xlsx"]')).trim(), 'Export Excel');
  await page.locator(`[data-testid="history-area"]`).click();
  await historyOpen();
  assert.match(await dialog().textContent(), /Changes to the figure/);
  await page.keyboard.press('Escape');
  await page.click('[data-lang="zh"]');
});

test('no console errors', () => {
  assert.deepEqual(ui.errors, []);
});
