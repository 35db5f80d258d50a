// 急难愁盼 in the browser: a resident reports a problem on a phone and
// follows it by its token (the contact never shown); a bad report is
// refused at the field the API names; one with a link is held back, its
// resident told so, and a reviewer lets it through; a reviewer dispatches
// two requests at once from the queue (overdue first and red, counts as
// the API counts them); the department's clerk finds them in 我的工单,
// accepts and answers one and returns the other with its reason; the
// reviewer calls back (回访); the statistics page, open meanwhile, shows
// the new follow-up in its rates without being reloaded.
// Screenshots: build/ui/requests-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open, SHOTS, PHONE, signIn as signInAs } from './browser.mjs';
import { civstat } from '../api/harness.mjs';

const SERVICE = 'roads';
const DESC = '解放路二段12号楼门前路灯已经连续一周不亮，夜里老人孩子出行很不安全。';
const PHONE_NO = '13904161234';
const ANSWER = '经现场核查为线路老化，已于当日更换线路和灯具，路灯恢复照明。';

const LATE_DESC = '凌河区中央大街路灯整条街不亮，年初反映至今无人处理。';
// Today in Jinzhou: the day the resident's requests are received.
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

let ui;
let page;
let late; // the id of a request received in January and never dispatched
let heldId; // the id of a request held back by moderation
const made = []; // {id, token} of the requests the resident made
before(async () => {
  ui = await open();
  page = await ui.page();
  // A sample request (as the demo's are) received in January: imported
  // beside the running server, as the CLI may.
  const csv = join(ui.server.dir, 'requests.csv');
  writeFileSync(csv, 'ref,service,description,address,area,community,lat,lon,media_url,contact_name,contact_phone,'
    + 'channel,received,department,dispatched,accepted,answered,answer,followed,resolved,satisfaction,duplicate_of,sample\n'
    + `JAN-1,${SERVICE},${LATE_DESC},凌河区中央大街,210703,,,,,,,hotline,2026-01-05 09:00,,,,,,,,,,1\n`);
  civstat(['request', 'import', csv, '--db', ui.server.db]);
  late = JSON.parse(civstat(['request', 'list', '--format', 'json', '--db', ui.server.db]))
    .find((x) => x.ref === 'JAN-1' || x.description === LATE_DESC)?.id;
  assert.ok(late > 0, 'the January request is in');
});
after(async () => { await ui?.stop(); });

// Signed out first: the header naming the one signed in before would
// otherwise satisfy signIn's wait while the new sign-in is under way.
async function signIn(p, name) {
  await p.goto('about:blank');
  await ui.context.clearCookies();
  await signInAs(ui, p, name);
}
// The page of hash, drawn.
async function go(p, hash) {
  await p.goto(ui.url(hash));
  await p.waitForFunction((x) => document.querySelector('#main')?.dataset.hash === x, hash, { timeout: 15000 });
}
const apiGet = (p, path) => p.evaluate((x) => fetch(x).then((r) => r.json()), path);
const shot = (p, name) => p.screenshot({ path: join(SHOTS, `requests-${name}.png`), fullPage: true });
// A step's form unfolded (the first one is already).
const openStep = (action) => page.locator(`[data-testid="rq-step-${action}"]`).evaluate((d) => { d.open = true; });
// The console errors of answers the test provoked (a 400, a 404) are
// dropped; any other stays for the final check.
function expectFailedLoads(n) {
  const k = ui.errors.findLastIndex((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
  assert.ok(ui.errors.length - (k + 1) >= n, ui.errors.join('\n'));
  ui.errors.splice(ui.errors.length - n, n);
}
const noSideways = (p) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

test('a resident reports on a phone, gets the token and follows the request by it', async () => {
  const phone = await ui.page(PHONE);
  await go(phone, '#/report');
  assert.equal((await phone.textContent('h1')).trim(), '我要反映');
  assert.ok(await noSideways(phone), 'no sideways scroll on a phone');
  assert.match(await phone.textContent('[data-testid="rq-contact-hint"]'), /不会公开/);
  // The service picker is grouped as the catalogue groups it.
  const groups = await phone.locator('#rq-service optgroup').evaluateAll((gs) => gs.map((g) => g.label));
  assert.ok(groups.includes('城市管理') && groups.includes('住房保障'), groups.join());
  await phone.selectOption('#rq-service', SERVICE);
  await phone.fill('#rq-address', '凌河区解放路二段12号楼');
  await phone.selectOption('#rq-area', '210703');
  await phone.fill('#rq-community', '紫荆社区');
  // The location only when the resident asks for it.
  await ui.context.grantPermissions(['geolocation'], { origin: ui.url('').replace(/\/$/, '') });
  await ui.context.setGeolocation({ latitude: 41.118912, longitude: 121.151342 });
  await phone.click('[data-testid="rq-locate"]');
  await phone.waitForFunction(() => /41\.118912/.test(document.querySelector('[data-testid="rq-located"]').textContent));
  await phone.fill('#rq-contact_name', '王女士');
  await phone.fill('#rq-contact_phone', PHONE_NO);

  // No description: refused at that field, and the form keeps what was typed.
  await phone.click('[data-testid="rq-submit"]');
  const err = phone.locator('[data-testid="rq-description-error"]');
  await err.waitFor({ state: 'visible' });
  expectFailedLoads(1);
  assert.equal(await phone.getAttribute('#rq-description', 'aria-invalid'), 'true');
  assert.match(await err.textContent(), /^请填写问题描述.*（description: /, 'said in Chinese, the API\'s words after');
  assert.match(await phone.textContent('[data-testid="rq-msg"]'), /问题描述/);
  assert.equal(await phone.inputValue('#rq-address'), '凌河区解放路二段12号楼');
  await shot(phone, 'report-error-phone');

  await phone.fill('#rq-description', DESC);
  assert.match(await phone.textContent('[data-testid="rq-count"]'), new RegExp(`已输入 ${[...DESC].length} 字`));
  // A phone number that is none: at the contact's phone, inside its box.
  await phone.fill('#rq-contact_phone', '找王女士');
  await phone.click('[data-testid="rq-submit"]');
  await phone.locator('[data-testid="rq-contact.phone-error"]').waitFor({ state: 'visible' });
  expectFailedLoads(1);
  assert.equal(await phone.getAttribute('#rq-contact_phone', 'aria-invalid'), 'true');
  assert.equal(await phone.evaluate(() => document.activeElement.id), 'rq-contact_phone');
  await phone.fill('#rq-contact_phone', PHONE_NO);
  await phone.click('[data-testid="rq-submit"]');
  const token = (await phone.locator('[data-testid="rq-token"]').textContent({ timeout: 10000 })).trim();
  assert.match(token, /^[0-9a-f]{32}$/);
  await ui.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.url('').replace(/\/$/, '') });
  await phone.click('[data-testid="rq-done"] button');
  await phone.waitForFunction(() => document.querySelector('[data-testid="rq-copied"]').textContent === '已复制');
  assert.equal(await phone.evaluate(() => navigator.clipboard.readText()), token, 'copied whole');
  const size = await phone.$eval('[data-testid="rq-token"]', (el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 20, `the token is big (${size}px)`);
  assert.ok(await noSideways(phone), 'the token wraps on a phone');
  await shot(phone, 'report-done-phone');

  await phone.click('[data-testid="rq-follow"]');
  await phone.waitForFunction((x) => document.querySelector('#main')?.dataset.hash === `#/follow/${x}`, token);
  const summary = phone.locator('[data-testid="rq-summary"]');
  assert.equal(await summary.locator('[data-testid="rq-state"]').getAttribute('data-state'), 'received');
  assert.equal((await summary.locator('[data-testid="rq-state"]').textContent()).trim(), '已受理');
  assert.match(await summary.textContent(), /道路设施/);
  assert.match(await summary.textContent(), /路灯已经连续一周不亮/);
  assert.match(await summary.textContent(), /\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d/, 'times as read in Jinzhou');
  assert.equal(await phone.locator('[data-testid="rq-event"][data-action="submit"]').count(), 1);
  assert.equal(await phone.locator('[data-testid="rq-deadline"][data-due="dispatch"]').count(), 1);
  const text = await phone.textContent('#main');
  assert.ok(!text.includes(PHONE_NO) && !text.includes('王女士'), 'the contact is never shown publicly');
  assert.ok(await noSideways(phone), 'no sideways scroll on a phone');
  await shot(phone, 'follow-phone');

  // A token that is no one's: said so, nothing else shown.
  await go(phone, '#/follow/00000000000000000000000000000000');
  await phone.locator('[data-testid="rq-follow-none"]').waitFor();
  expectFailedLoads(1);
  assert.equal(await phone.locator('[data-testid="rq-summary"]').count(), 0);
  const tracked = await apiGet(phone, `/api/v1/requests/track/${token}`);
  assert.deepEqual([tracked.lat, tracked.lon], [41.118912, 121.151342], 'the location went with it');
  made.push({ id: tracked.id, token });
  await phone.close();

  // A second request, to dispatch both at once.
  await go(page, '#/follow');
  const second = await page.evaluate(async (b) => (await fetch('/api/v1/requests', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b),
  })).json(), {
    service: SERVICE, description: '松山新区大学城路井盖缺失，已有车辆受损。', address: '松山新区大学城路',
    contact: { name: '李先生', phone: '13804160000' }, channel: 'web',
  });
  assert.ok(second.id && second.token, JSON.stringify(second));
  made.push({ id: second.id, token: second.token });

  // A link in the description: held for a moderator, and its resident is
  // told so on the follow page.
  const held = await page.evaluate(async (b) => (await fetch('/api/v1/requests', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b),
  })).json(), {
    service: 'noise', description: '夜间施工噪音扰民，详见 http://example.com/video', address: '太和区凌西大街',
    contact: { name: '刘', phone: '13700000000' },
  });
  assert.equal(held.state, 'held', JSON.stringify(held));
  heldId = held.id;
  await go(page, `#/follow/${held.token}`);
  assert.equal((await page.textContent('[data-testid="rq-state"]')).trim(), '待审核');
});

test('the queue: counts as the API counts them, overdue first and red; a reviewer dispatches two at once', async () => {
  assert.equal(made.length, 2, 'the resident made two requests');
  await signIn(page, 'reviewer');
  assert.equal(await page.locator('nav [data-nav="requests"]').isVisible(), true);
  await go(page, '#/requests');
  assert.equal((await page.textContent('h1')).trim(), '工单');
  const api = await apiGet(page, '/api/v1/requests?sort=due&limit=50');
  for (const [s, n] of Object.entries(api.counts)) {
    if (!n && s === 'held') continue;
    const shown = await page.textContent(`[data-testid="rq-counts"] li[data-state="${s}"] [data-testid="count"]`);
    assert.equal(Number(shown), n, s);
  }
  // The API's order, the overdue taken first.
  assert.deepEqual(await page.locator('[data-testid="rq-row"]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id))),
    [...api.items].sort((a, b) => b.overdue - a.overdue).map((x) => x.id));
  // January's request, never dispatched, is overdue: first, and red.
  const flags = await page.locator('[data-testid="rq-row"]').evaluateAll((rs) => rs.map((r) => r.dataset.overdue));
  assert.ok(flags.includes('1'), `an overdue row: ${flags}`);
  assert.ok(flags.indexOf('0') < 0 || flags.lastIndexOf('1') < flags.indexOf('0'), `overdue first: ${flags}`);
  const old = page.locator(`[data-testid="rq-row"][data-id="${late}"]`);
  assert.equal(await old.getAttribute('data-overdue'), '1');
  assert.notEqual(await old.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)', 'an overdue row is red');
  assert.match(await old.textContent(), /超时 \d+ 天/);
  assert.equal(await old.locator('[data-testid="sample"]').count(), 1, 'a sample request is marked');
  assert.equal(await page.locator(`[data-testid="rq-row"][data-id="${made[0].id}"] [data-testid="sample"]`).count(), 0);
  await shot(page, 'queue');
  // The newest first, when asked.
  await page.selectOption('#rq-f-sort', 'received');
  await page.waitForFunction(() => /sort=received/.test(location.hash) && document.querySelector('#main').dataset.hash === location.hash);
  assert.deepEqual(await page.locator('[data-testid="rq-row"]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id))),
    (await apiGet(page, '/api/v1/requests?sort=received&limit=50')).items.map((x) => x.id));
  assert.equal(await page.locator('[data-testid="rq-row"]').first().getAttribute('data-id'), String(made[1].id), 'the newest');
  await go(page, '#/requests');

  // The one held back: counted apart, let through by the reviewer.
  assert.equal(await page.textContent('[data-testid="rq-counts"] li[data-state="held"] [data-testid="count"]'), '1');
  await page.click('[data-testid="rq-counts"] li[data-state="held"] a');
  await page.waitForFunction(() => /state=held/.test(location.hash) && document.querySelector('#main').dataset.hash === location.hash);
  assert.deepEqual(await page.locator('[data-testid="rq-row"]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id))), [heldId]);
  await go(page, `#/requests/${heldId}`);
  await page.click('[data-testid="rq-approve-submit"]');
  await page.waitForSelector('.rq-page[data-state="received"]', { timeout: 10000 });
  await go(page, '#/requests');

  // Filters live in the hash: the received ones of the service.
  await page.selectOption('#rq-f-state', 'received');
  await page.waitForFunction(() => /state=received/.test(location.hash) && document.querySelector('#main').dataset.hash === location.hash);
  await page.selectOption('#rq-f-service', SERVICE);
  await page.waitForFunction(() => /service=roads/.test(location.hash) && document.querySelector('#main').dataset.hash === location.hash);
  assert.ok(await page.locator('[data-testid="rq-row"]').evaluateAll((rs) => rs.every((r) => r.dataset.state === 'received')));
  // Only overdue: January's alone.
  await page.check('#rq-f-overdue');
  await page.waitForFunction(() => /overdue=1/.test(location.hash) && document.querySelector('#main').dataset.hash === location.hash);
  assert.deepEqual(await page.locator('[data-testid="rq-row"]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id))), [late]);
  await page.uncheck('#rq-f-overdue');
  // Received today: the resident's two.
  await page.fill('#rq-f-from', TODAY);
  await page.waitForFunction((d) => location.hash.includes(`from=${d}`) && document.querySelector('#main').dataset.hash === location.hash, TODAY);
  assert.deepEqual((await page.locator('[data-testid="rq-row"]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id)))).sort(),
    made.map((m) => m.id).sort());

  // No department chosen: said at the bar, nothing dispatched.
  for (const m of made) await page.check(`[data-testid="rq-row"][data-id="${m.id}"] [data-testid="rq-pick"]`);
  await page.click('[data-testid="rq-bulk-go"]');
  assert.match(await page.textContent('[data-testid="rq-bulk-msg"]'), /请选择承办单位/);
  assert.equal((await apiGet(page, `/api/v1/requests/${made[0].id}`)).state, 'received');

  await page.selectOption('#rq-bulk-dept', 'FGW');
  await page.click('[data-testid="rq-bulk-go"]');
  await page.waitForSelector('[data-testid="rq-bulk-msg"].ok', { timeout: 10000 });
  assert.match(await page.textContent('[data-testid="rq-bulk-msg"]'), /已派单 2 件/);
  for (const m of made) {
    const x = await apiGet(page, `/api/v1/requests/${m.id}`);
    assert.equal(x.state, 'dispatched', JSON.stringify(x));
    assert.equal(await page.locator(`[data-testid="rq-row"][data-id="${m.id}"]`).count(), 0, 'gone from the received ones');
  }
});

test('the department accepts and answers in 我的工单, returns one; an empty text is refused at its field', async () => {
  await signIn(page, 'clerk');
  // Received today: the demo's year of sample requests stays out of the way.
  await go(page, `#/requests?from=${TODAY}`);
  assert.match(await page.textContent('h1'), /我的工单.*市发展和改革委员会/);
  assert.equal(await page.locator('#rq-f-dept').count(), 0, 'no department to choose: its own');
  const ids = await page.locator('[data-testid="rq-row"]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id)));
  for (const m of made) assert.ok(ids.includes(m.id), `${m.id} in the clerk's queue`);
  assert.equal(await page.locator('[data-testid="rq-bulk"]').count(), 0, 'a clerk does not dispatch');

  await page.click(`[data-testid="rq-row"][data-id="${made[0].id}"] td.rq-what a`);
  await page.waitForSelector(`.rq-page[data-id="${made[0].id}"]`);
  assert.match(await page.textContent('[data-testid="rq-contact"]'), new RegExp(PHONE_NO), 'its department sees the contact');
  const steps = await page.locator('[data-testid="rq-steps"] .rq-step').evaluateAll((ds) => ds.map((d) => d.dataset.action));
  for (const a of ['accept', 'answer', 'return']) assert.ok(steps.includes(a), `${a} in ${steps}`);
  assert.ok(!steps.includes('followup') && !steps.includes('dispatch'), `no reviewer steps for a clerk: ${steps}`);
  await page.click('[data-testid="rq-accept-submit"]');
  await page.waitForSelector(`.rq-page[data-state="in_progress"]`, { timeout: 10000 });
  assert.match(await page.textContent('[data-testid="flash"]'), /已承办/);

  await openStep('answer');
  await page.click('[data-testid="rq-answer-submit"]');
  await page.locator('[data-testid="rq-answer-text-error"]').waitFor({ state: 'visible' });
  expectFailedLoads(1);
  assert.equal((await apiGet(page, `/api/v1/requests/${made[0].id}`)).state, 'in_progress', 'nothing changed');
  await page.fill('[data-testid="rq-answer-form"] textarea', ANSWER);
  await page.click('[data-testid="rq-answer-submit"]');
  await page.waitForSelector('.rq-page[data-state="answered"]', { timeout: 10000 });
  assert.match(await page.textContent('[data-testid="rq-answer"]'), /已于当日更换线路和灯具/);
  const acts = await page.locator('[data-testid="rq-event"]').evaluateAll((es) => es.map((e) => e.dataset.action));
  assert.deepEqual(acts.filter((a) => a !== 'note'), ['submit', 'dispatch', 'accept', 'answer']);
  await shot(page, 'request-answered');

  // The other one is not the department's: returned, with the reason it
  // must give.
  await go(page, `#/requests/${made[1].id}`);
  await openStep('return');
  await page.click('[data-testid="rq-return-submit"]');
  await page.locator('[data-testid="rq-return-text-error"]').waitFor({ state: 'visible' });
  expectFailedLoads(1);
  await page.fill('[data-testid="rq-return-form"] textarea', '井盖属城市管理部门管理，请改派市城管局。');
  await page.click('[data-testid="rq-return-submit"]');
  await page.waitForSelector('.rq-page[data-state="received"]', { timeout: 10000 });
  // No longer the department's: its contact is hidden from it now.
  assert.equal(await page.locator('[data-testid="rq-contact"]').count(), 0);
  assert.equal(await page.locator('[data-testid="rq-event"][data-action="return"]').count(), 1);
});

test('a reviewer calls back; the statistics page shows the follow-up without a reload', async () => {
  await signIn(page, 'reviewer');
  const stats = await ui.page();
  await go(stats, `#/requests/stats?by=service`);
  assert.match(await stats.textContent('h1'), /^诉求统计\s*样例数据$/, 'the rates count a sample request');
  const row = stats.locator(`[data-testid="rq-stat-row"][data-key="${SERVICE}"]`);
  const sat = row.locator('[data-testid="rq-rate"][data-rate="satisfaction"]');
  const den = Number(await sat.getAttribute('data-den'));
  const num = Number(await sat.getAttribute('data-num'));
  // The numbers are the API's.
  const month = await stats.evaluate(() => new URLSearchParams(location.hash.split('?')[1]).get('to'));
  const api = await apiGet(stats, `/api/v1/requests/stats?by=service${month ? `&to=${month}` : ''}`);
  const mine = (api.items || api.rows).find((r) => (r.key ?? r.service) === SERVICE);
  assert.equal(den, mine.rates.satisfaction.den);
  await stats.locator('[data-testid="rq-chart-open"][data-drawn="1"]').waitFor({ timeout: 15000 });
  await stats.locator('[data-testid="rq-chart-rates"][data-drawn="1"]').waitFor({ timeout: 15000 });
  await shot(stats, 'stats-before');

  await go(page, `#/requests/${made[0].id}`);
  const steps = await page.locator('[data-testid="rq-steps"] .rq-step').evaluateAll((ds) => ds.map((d) => d.dataset.action));
  assert.ok(steps.includes('followup') && steps.includes('reopen'), `${steps}`);
  await openStep('followup');
  await page.selectOption('[data-testid="rq-followup-form"] select[name="resolved"]', '1');
  await page.selectOption('[data-testid="rq-followup-form"] select[name="satisfaction"]', 'satisfied');
  await page.click('[data-testid="rq-followup-submit"]');
  await page.waitForSelector('.rq-page[data-state="closed"]', { timeout: 10000 });
  assert.match(await page.textContent('[data-testid="rq-followed"]'), /已解决.*满意/);

  // The page left open catches up by itself.
  await stats.waitForFunction(([k, d]) => Number(document.querySelector(
    `[data-testid="rq-stat-row"][data-key="${k}"] [data-testid="rq-rate"][data-rate="satisfaction"]`)?.dataset.den) === d + 1,
  [SERVICE, den], { timeout: 15000 });
  assert.equal(Number(await sat.getAttribute('data-num')), num + 1);
  await shot(stats, 'stats-after');

  // The reviewer reads why the department returned the other one.
  await go(page, `#/requests/${made[1].id}`);
  assert.match(await page.textContent('[data-testid="rq-event"][data-action="return"]'), /请改派市城管局/);
  assert.ok((await page.locator('[data-testid="rq-steps"] .rq-step').evaluateAll((ds) => ds.map((d) => d.dataset.action))).includes('dispatch'));

  // By month: the row of this month, its charts drawn again.
  await stats.click('[data-by="month"]');
  await stats.waitForFunction(() => /by=month/.test(document.querySelector('#main').dataset.hash || ''));
  assert.ok(await stats.locator('[data-testid="rq-stat-row"]').count() >= 1);
  // One service's months, as the API counts them.
  await stats.selectOption('#rq-s-service', 'noise');
  await stats.waitForFunction(() => /service=noise/.test(location.hash) && document.querySelector('#main').dataset.hash === location.hash);
  const noise = await apiGet(stats, '/api/v1/requests/stats?by=month&service=noise');
  assert.equal(await stats.locator('[data-testid="rq-stat-row"]').count(), noise.items.length);
  assert.equal(Number(await stats.textContent('[data-testid="rq-stat-total"] td:nth-child(2)')),
    noise.items.reduce((a, r) => a + r.counts.received, 0));
  await shot(stats, 'stats-noise');
  await stats.close();
  assert.deepEqual(ui.errors, []);
});

test('English by the switch; the public sees neither the queue nor its nav entries', async () => {
  await page.goto('about:blank');
  await ui.context.clearCookies();
  await go(page, `#/follow/${made[1].token}`);
  await page.click('[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.trim() === 'Follow a request');
  assert.match(await page.textContent('[data-testid="rq-summary"]'), /Roads and street lights/);
  assert.equal((await page.textContent('[data-testid="rq-state"]')).trim(), 'Received');
  await page.click('[data-lang="zh"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.equal(await page.locator('nav [data-nav="requests"]').isVisible(), false);
  assert.equal(await page.locator('nav [data-nav="report"]').isVisible(), true);
  await go(page, '#/requests');
  assert.equal(await page.locator('[data-testid="rq-table"]').count(), 0);
  assert.deepEqual(ui.errors, []);
});

test('the hotline\'s staff enter a call on the same form, with its own number', async () => {
  await signIn(page, 'reviewer');
  await go(page, '#/report');
  assert.equal(await page.inputValue('#rq-channel'), 'hotline');
  await page.selectOption('#rq-service', 'heating');
  await page.fill('#rq-description', '来电反映：暖气不热，室温16度。');
  await page.fill('#rq-address', '太和区解放路');
  await page.fill('#rq-ref', '12345-20261130-001');
  await page.fill('#rq-contact_phone', '13600000000');
  await page.click('[data-testid="rq-submit"]');
  const token = (await page.locator('[data-testid="rq-token"]').textContent({ timeout: 10000 })).trim();
  const x = (await apiGet(page, '/api/v1/requests?service=heating&limit=50')).items.find((i) => i.token === token);
  assert.ok(x, 'in the queue');
  assert.equal(x.channel, 'hotline');
  assert.equal(x.ref, '12345-20261130-001');
  await go(page, `#/requests/${x.id}`);
  assert.match(await page.textContent('.tfacts'), /12345热线.*12345-20261130-001/s);
  assert.deepEqual(ui.errors, []);
});

test('the home page\'s 急难愁盼 block: open, overdue and satisfaction as the API has them', async () => {
  await go(page, '#/');
  const block = page.locator('[data-testid="home-requests"]');
  await block.waitFor({ timeout: 15000 });
  const all = (await apiGet(page, '/api/v1/requests/stats')).items[0];
  const late = await apiGet(page, '/api/v1/requests?overdue=1&limit=1&counts=0');
  assert.match(await block.locator('[data-testid="home-req-open"]').textContent(), new RegExp(`未办结 ${all.open} 件`));
  assert.ok(late.total >= 1, 'January\'s is overdue');
  assert.equal((await block.locator('[data-testid="home-req-overdue"]').textContent()).trim(), `其中超时 ${late.total} 件`);
  const sat = all.rates.satisfaction;
  assert.match(await block.locator('[data-testid="home-req-satisfy"]').textContent(), new RegExp(`（${sat.num}/${sat.den}）`));
  assert.deepEqual(ui.errors, []);
});
