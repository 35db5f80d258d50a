// 管理: the admin uploads a file and reads the import report (errors with
// line and column, nothing stored), then a good file goes in; adds an
// account and hands its password over; disables it.  Other roles do not
// see the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, SHOTS, PHONE, signIn as signInAs } from './browser.mjs';

let ui, page;
const dir = mkdtempSync(join(tmpdir(), 'civstat-admin-'));
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

const signIn = (name) => signInAs(ui, page, name);

test('a clerk neither sees nor opens 管理', async () => {
  await signIn('clerk');
  assert.equal(await page.isVisible('nav a[data-nav="admin"]'), false);
  await page.goto(ui.url('#/admin'));
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /需要以管理员身份登录/);
});

test('an upload with errors is reported by line and column, and stores nothing', async () => {
  await signIn('admin');
  assert.equal(await page.isVisible('nav a[data-nav="admin"]'), true);
  await page.click('nav a[data-nav="admin"]');
  await page.waitForSelector('[data-testid="users"] tr[data-user="clerk"]');
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'indicator,area,period,value\nFAI,210726,2026-01,12.5\nFAI,210726,2026-02,abc\n');
  await page.setInputFiles('#import-file', bad);
  await page.click('form.import-form button[type="submit"]');
  await page.waitForSelector('[data-testid="import-errors"] li');
  assert.match(await page.textContent('[data-testid="import-msg"]'), /导入失败：发现 1 处错误/);
  assert.match(await page.textContent('[data-testid="import-errors"]'), /bad\.csv:3:4: column "value": "abc" is not a number/);
  const none = await page.evaluate(() => fetch('/api/v1/values?indicator=FAI&area=210726&limit=1000').then((r) => r.json()));
  assert.ok(!none.items.some((v) => v.period === '2026-01'), 'nothing of the file was stored');
  await page.screenshot({ path: join(SHOTS, 'admin-import-errors.png'), fullPage: true });
});

test('a good upload goes in and the report counts it', async () => {
  const good = join(dir, 'good.csv');
  writeFileSync(good, 'indicator,area,period,value\nFAI,210726,2026-01,12.5\nFAI,210726,2026-02,13\n');
  await page.setInputFiles('#import-file', good);
  await page.click('form.import-form button[type="submit"]');
  await page.waitForFunction(() => /导入成功/.test(document.querySelector('[data-testid="import-msg"]').textContent));
  assert.match(await page.textContent('[data-testid="import-report"]'), /数值：新增 2，修改 0，未变 0/);
  const v = await page.evaluate(() => fetch('/api/v1/values?indicator=FAI&area=210726&limit=1000').then((r) => r.json()));
  assert.equal(v.items.find((x) => x.period === '2026-02').value, 13);
});

test('the admin adds an account, reads its password once, and disables it', async () => {
  await page.fill('#user-name', 'liu');
  await page.selectOption('#user-role', 'department');
  await page.selectOption('#user-dept', 'TJJ');
  await page.click('form.user-form button[type="submit"]');
  await page.waitForSelector('[data-testid="users"] tr[data-user="liu"]');
  const said = await page.textContent('[data-testid="users-msg"]');
  const password = said.match(/初始密码：(\S{16})/)[1];
  const login = await fetch(`${ui.server.url}/api/v1/login`, { method: 'POST', body: JSON.stringify({ name: 'liu', password }) });
  assert.equal(login.status, 200, 'the account signs in with the password shown');
  await page.click('tr[data-user="liu"] button[data-action="disable"]');
  await page.waitForFunction(() => document.querySelector('tr[data-user="liu"]')?.textContent.includes('已停用'));
  const again = await fetch(`${ui.server.url}/api/v1/login`, { method: 'POST', body: JSON.stringify({ name: 'liu', password }) });
  assert.equal(again.status, 403);
  // The catalogue with its 公开 column: the internal indicators say 否.
  assert.match(await page.textContent('tr[data-indicator="CONTRACT_INV"]'), /否/);
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, 'admin-phone.png') });
});

test('no console errors', () => {
  // The refused upload answers 400, which the browser reports as a failed resource.
  assert.deepEqual(ui.errors.filter((e) => !/status of 400/.test(e)), []);
});
