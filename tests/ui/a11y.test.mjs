// Every page of the cockpit at desktop and phone width, and in English at
// desktop width: axe-core finds no serious or critical accessibility
// violation, no console error or uncaught exception comes up, and each page
// is saved as a screenshot in build/ui/ (home-desktop.png, home-phone.png,
// home-en-desktop.png, ...) to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TOP } from '../api/harness.mjs';
import { open, SHOTS, DESKTOP, PHONE, signIn as signInAs } from './browser.mjs';

const AXE = join(TOP, 'node_modules/axe-core/axe.min.js');

// name, hash, what shows the page is complete, who must be signed in.
const PAGES = [
  ['home', '#/', '[data-testid="pillar"] [data-testid="card"]'],
  ['indicators', '#/indicator', '.page.list table'],
  ['indicator', '#/indicator/FAI', '#chart-series[data-drawn="1"] canvas, #chart-yoy[data-drawn="1"]'],
  ['compare', '#/compare', '#chart-compare[data-drawn="1"] canvas'],
  ['brief', '#/brief', '[data-testid="brief"] h1'],
  ['login', '#/login', '#login-name'],
  ['entry', '#/entry', '[data-testid="entry-grid"] td.cell', 'clerk'],
  ['project', '#/projects/JZ-XM-001', '#chart-project[data-drawn="1"] canvas', 'clerk'],
  ['review', '#/review', '[data-testid="queue"] tbody tr', 'reviewer'],
  ['public', '#/public', '[data-testid="public-pillar"] tr[data-indicator]'],
  ['tasks', '#/tasks', '[data-testid="task-list"] [data-testid="task-row"]'],
  ['projects', '#/projects', '[data-testid="project-row"]'],
  ['programme', '#/programmes/OLD-COMM-14', '[data-testid="community"]'],
  ['admin', '#/admin', '[data-testid="users"] tr[data-user]', 'admin'],
  ['task', '#/tasks/2026-LWLB-03', '.task-page [data-testid="milestone"]', 'leader'],
  ['todo', '#/todo', '[data-testid="todo-counts"]', 'other'],
  ['report', '#/report', '[data-testid="rq-form"] #rq-service'],
  ['follow', '#/follow', '#rq-token-in'],
  ['requests', '#/requests', '[data-testid="rq-counts"]', 'reviewer'],
  ['requests-stats', '#/requests/stats', '[data-testid="rq-chart-rates"][data-drawn="1"] canvas', 'reviewer'],
];
// The walks: width, window, language.
const WALKS = [['desktop', DESKTOP, 'zh'], ['phone', PHONE, 'zh'], ['desktop', DESKTOP, 'en']];

let ui;
before(async () => { ui = await open(); });
after(async () => { await ui.stop(); });

const signIn = (page, name) => signInAs(ui, page, name);

// The serious and critical violations of the page as it stands, one line each.
async function violations(page) {
  // Two frames first: a table that overflows becomes focusable on resize.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.targets.slice(0, 8).join('\n    ')}${v.targets.length > 8 ? `\n    … ${v.targets.length - 8} more` : ''}`);
}

for (const [size, viewport, lang] of WALKS) {
  test(`every page at ${size} width in ${lang} passes axe and logs no error`, async (t) => {
    const page = await ui.page(viewport);
    let who;
    for (const [name, hash, ready, account = null] of PAGES) {
      await t.test(name, async () => {
        if (account !== who) {
          // The public pages are seen signed out, as the public sees them;
          // away from the app first, which would ask as the one signed in.
          if (account) await signIn(page, account);
          else {
            await page.goto('about:blank');
            await ui.context.clearCookies();
            await page.goto(ui.url('#/login'));
            await page.waitForSelector('#login-name');
          }
          who = account;
        }
        await page.evaluate((l) => localStorage.setItem('civstat.lang', l), lang).catch(() => {});
        const from = ui.errors.length;
        // A fresh load, not a hash change: the page as a visitor arrives on it.
        await page.goto(ui.url(hash));
        await page.reload();
        // The review queue asks for every figure's neighbours: give it time.
        await page.waitForSelector(ready, { timeout: 40000 });
        assert.equal(await page.getAttribute('html', 'lang'), lang === 'en' ? 'en' : 'zh-CN');
        const bad = await violations(page);
        await page.screenshot({ path: join(SHOTS, `${name}${lang === 'zh' ? '' : `-${lang}`}-${size}.png`), fullPage: true });
        const errors = ui.errors.slice(from);
        assert.deepEqual(errors, [], `console errors on ${hash}`);
        assert.equal(bad.length, 0, `axe on ${hash} at ${size} width in ${lang}:\n  ${bad.join('\n  ')}`);
      });
    }
    await page.evaluate(() => localStorage.setItem('civstat.lang', 'zh'));
    await page.close();
  });
}

test('the keyboard: a skip link first, then a visible focus ring on every stop of the header', async () => {
  const page = await ui.page(DESKTOP);
  await page.goto(ui.url('#/indicator'));
  await page.waitForSelector('.page.list table', { timeout: 20000 });
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return { text: el.textContent.trim(), outline: s.outlineStyle, width: parseFloat(s.outlineWidth), x: r.x };
  });
  await page.keyboard.press('Tab');
  const skip = await focused();
  assert.equal(skip.text, '跳到正文');
  assert.ok(skip.x >= 0, 'the skip link comes into view');
  // It moves the focus to the page and leaves the route alone.
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => location.hash), '#/indicator');
  assert.equal(await page.getAttribute('main', 'data-page'), 'indicator');
  await page.goto(ui.url('#/'));
  await page.reload();
  await page.waitForSelector('[data-testid="pillar"] [data-testid="card"]', { timeout: 20000 });
  await page.keyboard.press('Tab');
  for (let k = 0; k < 8; k++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    assert.ok(f.outline !== 'none' && f.width >= 2, `focus ring on ${f.text}`);
  }
  await page.close();
});
