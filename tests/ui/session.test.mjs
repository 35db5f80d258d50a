// The session expires as the server says: when the server no longer knows
// the browser's session (here ended from outside, with the same cookie),
// the next request that needs it lands on the login page with 会话已过期,
// and signing in again returns to the page the user was on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS } from '../api/harness.mjs';
import { open, homeReady } from './browser.mjs';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

async function signIn(name) {
  await page.fill('#login-name', name);
  await page.fill('#login-password', ACCOUNTS[name][2]);
  await page.click('form.login-form button[type="submit"]');
}

// Ends the browser's session from outside: its cookie, its CSRF token, logout.
async function endSession() {
  const cookie = (await ui.context.cookies()).find((c) => c.name === 'civstat_session');
  assert.ok(cookie, 'the browser holds a session cookie');
  const headers = { cookie: `${cookie.name}=${cookie.value}` };
  const me = await (await fetch(`${ui.server.url}/api/v1/me`, { headers })).json();
  const r = await fetch(`${ui.server.url}/api/v1/logout`, { method: 'POST', headers: { ...headers, 'x-csrf-token': me.csrf } });
  assert.equal(r.status, 200, await r.text());
}

test('a session ended on the server: the next action asks to sign in again, then returns', async () => {
  await page.goto(ui.url('#/login'));
  await signIn('leader');
  await page.waitForSelector('[data-testid="who"]');
  await homeReady(page);
  await page.waitForSelector('[data-testid="quality"] .quality-count');
  await endSession();
  // The next action: another period.  Its data-quality findings need the
  // session, and the server refuses it.
  await page.selectOption('#period', '2025-06');
  await page.waitForFunction(() => location.hash.startsWith('#/login'));
  await page.waitForSelector('form.login-form');
  assert.equal((await page.textContent('[data-testid="login-msg"]')).trim(), '会话已过期，请重新登录');
  assert.equal(await page.locator('[data-testid="who"]').count(), 0, 'nobody is shown signed in');
  assert.match(await page.textContent('#who'), /登录/);
  await signIn('leader');
  await page.waitForFunction(() => location.hash === '#/?period=2025-06');
  await homeReady(page);
  assert.equal(await page.inputValue('#period'), '2025-06');
  assert.match(await page.textContent('[data-testid="quality"]'), /数据质量提示 \d+ 条/);
});

test('in English the message is English', async () => {
  await page.click('button[data-lang="en"]');
  await homeReady(page);
  await endSession();
  await page.goto(ui.url('#/review'));
  await page.goto(ui.url('#/?period=2025-05'));
  await page.waitForFunction(() => location.hash.startsWith('#/login'));
  await page.waitForSelector('form.login-form');
  assert.equal((await page.textContent('[data-testid="login-msg"]')).trim(), 'Your session has expired: please sign in again.');
  await page.click('button[data-lang="zh"]');
});

// The browser logs each refused request; those 401s are the server saying
// the session is over, which is what this file is about.
test('no console errors but the 401s that end the session', () => {
  const refused = /^Failed to load resource: the server responded with a status of 401 \(Unauthorized\)$/;
  assert.ok(ui.errors.some((e) => refused.test(e)));
  assert.deepEqual(ui.errors.filter((e) => !refused.test(e)), []);
});
