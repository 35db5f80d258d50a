// Signing in (登录) and out: who is signed in and their role in the header,
// a wrong password said so, the data-quality alerts for department and up.
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

async function signIn(name, password = ACCOUNTS[name][2]) {
  await page.goto(ui.url('#/login'));
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('form.login-form button[type="submit"]');
}

test('a wrong password is refused and said so', async () => {
  await signIn('leader', 'not-the-password');
  await page.waitForSelector('.form-msg.error');
  assert.match(await page.textContent('.form-msg'), /登录失败/);
  assert.match(await page.textContent('#who'), /登录/);
});

test('a leader signs in and the header shows the role', async () => {
  await signIn('leader');
  await page.waitForSelector('[data-testid="who"]');
  assert.equal((await page.textContent('[data-testid="who"]')).trim(), '已登录：leader（领导）');
  await homeReady(page);
  assert.equal(new URL(page.url()).hash, '#/');
  // department and up see the data-quality findings and the late reports.
  const quality = await page.textContent('[data-testid="quality"]');
  assert.match(quality, /数据质量提示 \d+ 条/);
  assert.match(quality, /报送未完成的部门 \d+ 个/);
  await page.screenshot({ path: join(SHOTS, 'home-leader.png') });
  // A reload keeps the session (the cookie) and says who is signed in.
  await page.reload();
  await page.waitForSelector('[data-testid="who"]');
  assert.match(await page.textContent('[data-testid="who"]'), /leader（领导）/);
});

test('signing out ends the session', async () => {
  await signIn('clerk');
  await page.waitForFunction(() => document.querySelector('[data-testid="who"]')?.textContent.includes('clerk'));
  assert.match(await page.textContent('[data-testid="who"]'), /clerk（填报员）/);
  await page.click('#who button');
  await page.waitForSelector('#who .who-login');
  assert.match(await page.textContent('.form-msg'), /已退出登录/);
  const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
  assert.equal(me.user.role, 'public');
  await page.goto(ui.url('#/'));
  await homeReady(page);
  assert.match(await page.textContent('[data-testid="quality"]'), /登录（填报员及以上）后可查看/);
});

test('the roles in English', async () => {
  await signIn('reviewer');
  await page.waitForSelector('[data-testid="who"]');
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="who"]')?.textContent === 'Signed in: reviewer (reviewer)');
  await page.click('button[data-lang="zh"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="who"]')?.textContent === '已登录：reviewer（审核员）');
});

test('no console errors', () => {
  // The refused sign-in answers 401, which the browser reports as a failed resource.
  assert.deepEqual(ui.errors.filter((e) => !/status of 401/.test(e)), []);
});
