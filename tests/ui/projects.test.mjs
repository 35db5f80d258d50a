// 项目为王 in the cockpit: the pipeline page shows the API's phase counts,
// investment and alerts, and its filters narrow the table as the API
// does; a project's department reports a month on the project page and
// the investment indicator PROJ_INV moves by as much; bad input shows the
// API's error at its field and changes nothing; the English switch; the
// public reads the pipeline but gets no form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { open, SHOTS, PHONE, signIn as signInAs } from './browser.mjs';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

const CODE = 'JZ-XM-001'; // 国电投40万千瓦风电项目, of 市发改委 (FGW), the clerk's department
const num = (s) => Number(String(s).replace(/[^\d.-]/g, ''));
const yi = (v) => `${v.toFixed(2)}亿元`;
const text = async (sel) => (await page.textContent(sel)).trim();
// The API as the page's session sees it.
const get = (path) => page.evaluate((p) => fetch(`/api/v1/${p}`).then((r) => r.json()), path);

async function shot(name) {
  const path = join(SHOTS, `projects-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  assert.ok(existsSync(path) && statSync(path).size > 20000, `${path} written`);
}

// Goes to hash and waits until the page of that hash is drawn (the page
// before may hold the same elements).
async function at(hash) {
  await page.goto(ui.url(hash));
  await page.waitForFunction((x) => decodeURIComponent(document.querySelector('#main')?.dataset.hash || '') === x, hash);
}

async function pipeline(hash = '#/projects') {
  await at(hash);
  await page.waitForSelector('[data-testid="phases"] li');
}

// The table's rows and footer once the page for the hash stands.
async function tableNow() {
  const rows = await page.locator('[data-testid="project-row"]').evaluateAll((r) => r.map((x) => x.dataset.code));
  const foot = page.locator('[data-testid="totals"]');
  return {
    rows,
    shown: num(await text('[data-testid="shown"]')),
    total: (await foot.locator('[data-testid="sum-total"]').textContent()).trim(),
    plan: (await foot.locator('[data-testid="sum-plan"]').textContent()).trim(),
    done: (await foot.locator('[data-testid="sum-done"]').textContent()).trim(),
  };
}

test('the public reads the pipeline and a project, with no report form', async () => {
  await pipeline();
  assert.equal(await page.getAttribute('nav [data-nav="projects"]', 'aria-current'), 'page');
  assert.match(await text('h1'), /^重点项目 · 2025年1-9月$/);
  assert.ok(await page.locator('[data-testid="project-row"]').count() > 0);
  await page.click(`[data-testid="project-row"][data-code="${CODE}"] a`);
  await page.waitForSelector('[data-testid="facts"]');
  assert.match(await text('h1'), /国电投40万千瓦风电项目/);
  assert.equal(await page.locator('[data-testid="report-form"]').count(), 0);
  assert.equal(await page.locator('[data-testid="phase-form"]').count(), 0);
  assert.match(await text('[data-testid="no-form"]'), /责任单位登录后可报送/);
  // 23亿元 is the seed's figure; the reports are sample data and say so.
  assert.equal(await text('[data-testid="facts"] [data-testid="total"]'), '23.00亿元');
  assert.ok(await page.locator('.page-head [data-testid="sample"]').isVisible());
  assert.equal(await page.locator('[data-testid="milestone"][data-overdue="1"]').count(), 1, 'the overdue milestone is marked');
});

test('the pipeline shows the phase counts, investment and alerts of /projects/summary', async () => {
  await pipeline();
  const sum = await get('projects/summary');
  const phases = await page.locator('[data-testid="phases"] li').evaluateAll((li) => li.map((x) => ({
    phase: x.dataset.phase,
    n: x.querySelector('[data-testid="phase-n"]').textContent.trim(),
    total: x.querySelector('[data-testid="phase-total"]').textContent.trim(),
  })));
  assert.deepEqual(phases, sum.pipeline.map((x) => ({ phase: x.phase, n: String(x.n), total: yi(x.total) })));
  assert.deepEqual(phases.map((x) => x.phase), ['planning', 'signed', 'started', 'building', 'completed', 'operating']);
  assert.match(await text('[data-testid="phases"]'), /谋划.*签约.*开工.*在建.*竣工.*投产/s);
  const all = sum.items.find((x) => x.key === 'total');
  assert.equal(await text('[data-testid="plan"] .v'), yi(all.plan));
  assert.equal(await text('[data-testid="done"] .v'), yi(all.done));
  assert.equal(await text('[data-testid="completion"] .v'), `${all.completion_pct.toFixed(1)}%`);
  assert.match(await text('[data-testid="completion"]'), new RegExp(`序时进度 ${sum.time_progress_pct.toFixed(1)}%`));
  for (const f of ['behind', 'overdue', 'not_started']) {
    assert.equal(num(await text(`[data-testid="count-${f}"]`)), all[f], f);
  }
  // The roll-up by cluster, its total row the summary's.
  const rollTotal = page.locator('[data-testid="rollup"] tr[data-key="total"] td');
  assert.equal((await rollTotal.nth(0).textContent()).trim(), String(all.n));
  assert.equal((await rollTotal.nth(3).textContent()).trim(), yi(all.done));
  // The table's totals are the list's.
  const list = await get('projects?limit=1');
  const tab = await tableNow();
  assert.equal(tab.shown, list.total);
  assert.equal(tab.plan, yi(list.totals.plan));
  assert.equal(tab.done, yi(list.totals.done));
  assert.equal(tab.rows.length, 20, 'the first page of 20');
  assert.equal(await text('[data-testid="page-of"]'), `第 1 / ${Math.ceil(list.total / 20)} 页`);
  // The PROJ_INV figure is /progress's.
  const inv = await get('progress?indicator=PROJ_INV');
  assert.equal(await text('[data-testid="proj-inv"]'), yi(inv[0].ytd_value));
  await shot('pipeline');
  // The pipeline as the report quotes it, apart from the projects entered.
  assert.match(await text('[data-testid="quoted"] tr[data-indicator="PROJ_SPECIAL_INV"]'), /2022年\s*2,422/);
  assert.match(await text('[data-testid="quoted"] tr[data-indicator="CHANNEL_PROJ"]'), /2022年\s*54/);
});

test('a filter narrows the table and its totals as the API does, and lives in the hash', async () => {
  await pipeline();
  await page.selectOption('#prj-cluster', 'corridor');
  await page.waitForFunction(() => document.querySelector('#main').dataset.hash?.includes('cluster=corridor')
    && document.querySelector('#prj-cluster')?.value === 'corridor');
  const api = await get('projects?cluster=corridor&limit=100');
  let tab = await tableNow();
  assert.deepEqual(tab.rows, api.items.map((p) => p.code));
  assert.equal(tab.shown, api.total);
  assert.equal(tab.total, yi(api.totals.total));
  assert.equal(tab.plan, yi(api.totals.plan));
  assert.equal(tab.done, yi(api.totals.done));
  assert.ok(api.total > 0 && api.total < 36);
  // The table's files carry the same filter: Excel downloads, OC4IDS holds
  // the same projects.
  assert.match(await page.getAttribute('[data-testid="prj-export-xlsx"]', 'href'), /format=xlsx&cluster=corridor/);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="prj-export-xlsx"]')]);
  assert.match(dl.suggestedFilename(), /\.xlsx$/);
  assert.equal(readFileSync(await dl.path()).subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
  const oc4ids = await page.evaluate((href) => fetch(href).then((r) => r.json()),
    await page.getAttribute('[data-testid="prj-export-oc4ids"]', 'href'));
  assert.equal(oc4ids.projects.length, api.total);
  // Sorted by completed investment, largest first (a second click).
  await page.click('button.sort[data-sort="done"]');
  await page.waitForFunction(() => document.querySelector('#main').dataset.hash?.includes('sort=done'));
  await page.waitForSelector('th[aria-sort="ascending"] button[data-sort="done"]');
  await page.click('button.sort[data-sort="done"]');
  await page.waitForFunction(() => document.querySelector('#main').dataset.hash?.includes('sort=-done'));
  await page.waitForSelector('th[aria-sort="descending"] button[data-sort="done"]');
  const sorted = await get('projects?cluster=corridor&sort=-done&limit=100');
  tab = await tableNow();
  assert.deepEqual(tab.rows, sorted.items.map((p) => p.code));
  // The behind-plan count is a link to those projects; the link reproduces the view.
  const sum = await get('projects/summary');
  await pipeline();
  await page.click('[data-testid="flag-counts"] a[data-flag="behind"]');
  await page.waitForFunction(() => document.querySelector('#main').dataset.hash?.includes('flag=behind'));
  await page.waitForSelector('[data-testid="project-row"]');
  const behind = await get('projects?behind=1&limit=100');
  tab = await tableNow();
  assert.equal(tab.shown, sum.items.find((x) => x.key === 'total').behind);
  assert.deepEqual(tab.rows, behind.items.map((p) => p.code));
  assert.equal(tab.done, yi(behind.totals.done));
  for (const code of tab.rows) {
    assert.ok(await page.locator(`[data-testid="project-row"][data-code="${code}"] .badge[data-flag="behind"]`).count(), code);
  }
  // Overdue milestones: every row flagged so, as many as the summary counts.
  await at('#/projects?flag=overdue');
  await page.waitForSelector('[data-testid="project-row"]');
  tab = await tableNow();
  const overdue = (await get('projects?limit=100')).items.filter((p) => p.flags.includes('overdue'));
  assert.deepEqual(tab.rows, overdue.map((p) => p.code));
  assert.equal(tab.shown, sum.items.find((x) => x.key === 'total').overdue);
  // A search that finds nothing says so.
  await at('#/projects?q=不存在的项目');
  await page.waitForSelector('[data-testid="projects-none"]');
  assert.equal(await page.inputValue('#prj-q'), '不存在的项目');
});

test('the programme page shows the seed’s renovation plan and its communities', async () => {
  await pipeline();
  await page.click('[data-testid="programmes-link"]');
  await page.waitForSelector('[data-testid="programme"]');
  await page.click('[data-testid="programme"] h2 a');
  await page.waitForSelector('[data-testid="communities"] tbody tr');
  const [p] = (await get('programmes?communities=1')).items;
  assert.equal(await text('[data-testid="planned-communities"] .v'), '566 小区');
  assert.equal(await text('[data-testid="planned-buildings"] .v'), '5,693 栋楼');
  assert.equal(await text('[data-testid="planned-households"] .v'), '212,336 户居民');
  assert.equal(await page.locator('[data-testid="community"]').count(), p.communities.length);
  assert.equal(num(await text('[data-testid="households"] .v')), p.households);
  assert.ok(await page.locator('.page-head [data-testid="sample"]').isVisible(), 'the sample communities are marked');
  await shot('programme');
  await page.setViewportSize(PHONE);
  await pipeline();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll on a phone');
  await shot('phone');
  await page.setViewportSize({ width: 1366, height: 768 });
});

test('the English switch shows the pages in English', async () => {
  await pipeline('#/projects?flag=overdue');
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && /^Key projects/.test(document.querySelector('h1')?.textContent));
  assert.match(await text('h1'), /^Key projects · Jan–Sep 2025$/);
  assert.match(await text('[data-testid="phases"]'), /Planning.*Signed.*Started.*Building.*Completed.*Operating/s);
  const heads = await page.locator('[data-testid="projects-table"] thead th').allTextContents();
  assert.ok(heads.every((x) => !/[\u4e00-\u9fff]/.test(x)), `English headers: ${heads}`);
  assert.match(await text('[data-testid="flag-counts"]'), /Milestone overdue/);
  assert.match(await text('[data-testid="plan"]'), /100 mn yuan/);
  await shot('en');
  await page.goto(ui.url(`#/projects/${CODE}`));
  await page.waitForSelector('[data-testid="facts"]');
  assert.match(await text('[data-testid="facts"]'), /Cluster\s*New energy/);
  assert.match(await text('[data-testid="no-form"]'), /responsible department signs in/);
  await page.click('button[data-lang="zh"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && /项目概况/.test(document.body.textContent));
});

// The figures a report moves: the project's own and PROJ_INV's.
async function figures() {
  const p = await get(`projects/${CODE}`);
  const inv = await get('progress?indicator=PROJ_INV');
  return { done: p.done, reports: p.reports, inv: inv[0].ytd_value };
}

let start;

test('bad input in the report form shows the API’s error at its field and changes nothing', async () => {
  await signInAs(ui, page, 'clerk');
  await page.goto(ui.url(`#/projects/${CODE}`));
  await page.waitForSelector('[data-testid="report-form"]');
  start = await figures();
  assert.equal(await page.inputValue('#prj-period'), '2025-09', 'the city’s latest month first');
  // Negative: the API's words, at the investment field.
  await page.fill('#prj-investment', '-1');
  await page.click('[data-testid="report-submit"]');
  await page.waitForFunction(() => /investment/.test(document.querySelector('[data-testid="investment-error"]')?.textContent));
  assert.equal(await text('[data-testid="investment-error"]'), '当月完成投资有误：investment: an amount of 亿元 of zero or more');
  assert.equal(await page.getAttribute('#prj-investment', 'aria-invalid'), 'true');
  assert.match(await page.getAttribute('[data-testid="prj-msg"]', 'class'), /error/);
  assert.equal(await text('[data-testid="prj-msg"]'), '请更正“当月完成投资”后再提交。');
  // Progress over 100: the API names that field.
  await page.fill('#prj-investment', '0.5');
  await page.fill('#prj-progress', '120');
  await page.click('[data-testid="report-submit"]');
  await page.waitForFunction(() => /progress: 0 to 100/.test(document.querySelector('[data-testid="progress-error"]')?.textContent));
  assert.equal(await text('[data-testid="investment-error"]'), '');
  // Not a number: said here before asking.
  await page.fill('#prj-progress', '');
  await page.fill('#prj-investment', '1.2x');
  await page.click('[data-testid="report-submit"]');
  assert.equal(await text('[data-testid="investment-error"]'), '当月完成投资：请输入数字。');
  // Going back a phase without a reason.
  await page.selectOption('#prj-ph-phase', 'signed');
  await page.click('[data-testid="phase-submit"]');
  await page.waitForFunction(() => /reason: going back/.test(document.querySelector('[data-testid="reason-error"]')?.textContent));
  assert.equal(await page.getAttribute('#prj-ph-reason', 'aria-invalid'), 'true');
  assert.deepEqual(await figures(), start, 'nothing changed');
  assert.equal((await get(`projects/${CODE}`)).phase, 'building');
  await page.screenshot({ path: join(SHOTS, 'projects-error.png'), fullPage: true });
});

test('the department reports a month; the page and PROJ_INV show the new figure', async () => {
  await page.goto(ui.url(`#/projects/${CODE}`));
  await page.waitForSelector('[data-testid="report-form"]');
  const old = start.reports.find((x) => x.period === '2025-09').investment;
  const add = 1.25;
  await page.selectOption('#prj-period', '2025-09');
  await page.fill('#prj-investment', String(old + add));
  await page.fill('#prj-progress', '65');
  await page.fill('#prj-note', '风机吊装完成');
  await page.click('[data-testid="report-submit"]');
  await page.waitForSelector('[data-testid="flash"]');
  assert.equal(await text('[data-testid="flash"]'), `已报送 2025年9月：完成投资 ${yi(old + add)}。`);
  const after = await figures();
  assert.equal(+(after.done - start.done).toFixed(2), add);
  assert.equal(+(after.inv - start.inv).toFixed(2), add, 'PROJ_INV moves with the report');
  // The page shows the new figures.
  assert.equal(await text('[data-testid="done"] .v'), yi(after.done));
  assert.equal(await text('[data-testid="report"][data-period="2025-09"] [data-testid="investment"]'), yi(old + add));
  assert.match(await text('[data-testid="report"][data-period="2025-09"]'), /65\.0%.*风机吊装完成.*clerk/);
  assert.equal(await text('[data-testid="progress"] .v'), '65.0%');
  await page.waitForSelector('#chart-project[data-drawn="1"] canvas');
  await shot('project');
  // The indicator PROJ_INV (重点项目完成投资) on the pipeline and on its own
  // page: the figure of /progress after the report.
  await pipeline();
  assert.equal(await text('[data-testid="proj-inv"]'), yi(after.inv));
  await page.click('[data-testid="proj-inv"]');
  await page.waitForSelector('#chart-series[data-drawn="1"]');
  assert.match(await text('h1'), /重点项目完成投资/);
  assert.equal(num(await text('.kpis .kpi .num')), after.inv);
  // And on the home page, where leaders look first.
  await page.goto(ui.url('#/'));
  await page.waitForSelector('[data-testid="home-proj-inv"]');
  assert.equal(await text('[data-testid="home-proj-inv"]'), yi(after.inv));
  assert.match(await text('[data-testid="home-projects"]'), /项目为王.*重点项目完成投资 · 2025年1-9月/);
  await shot('home');
});

test('the department moves the project forward a phase; the history shows it', async () => {
  await page.goto(ui.url(`#/projects/${CODE}`));
  await page.waitForSelector('[data-testid="phase-form"]');
  const before = (await get(`projects/${CODE}`)).phases.length;
  await page.selectOption('#prj-ph-phase', 'completed');
  await page.click('[data-testid="phase-submit"]');
  await page.waitForSelector('[data-testid="flash"]');
  assert.equal(await text('[data-testid="flash"]'), '阶段已变更为 竣工。');
  assert.equal(await text('[data-testid="facts"] [data-testid="phase"]'), '竣工');
  const p = await get(`projects/${CODE}`);
  assert.equal(p.phase, 'completed');
  assert.equal(p.phases.length, before + 1);
  const row = page.locator('[data-testid="phase-change"]').first();
  assert.match((await row.textContent()).trim(), /^在建竣工.*clerk/);
});

test('the department marks a milestone reached, adds one, and records a problem', async () => {
  await page.goto(ui.url(`#/projects/${CODE}`));
  await page.waitForSelector('[data-testid="milestone-form"]');
  // 设备安装完成 is past due: reached today, it is no longer overdue.
  assert.ok((await get(`projects/${CODE}`)).flags.includes('overdue'));
  await page.click('[data-testid="milestone"][data-overdue="1"] [data-testid="milestone-done"]');
  await page.waitForFunction(() => /^节点“设备安装完成”已于 \d{4}年\d{1,2}月\d{1,2}日 完成。$/.test(document.querySelector('[data-testid="flash"]')?.textContent.trim()));
  assert.equal(await page.locator('[data-testid="milestone"][data-overdue="1"]').count(), 0);
  assert.ok(!(await get(`projects/${CODE}`)).flags.includes('overdue'));
  // A milestone without a name is refused at its field; with one it is added.
  const n = (await get(`projects/${CODE}`)).milestones.length;
  await page.fill('#prj-ms-due', '2026-12-31');
  await page.click('[data-testid="milestone-submit"]');
  await page.waitForSelector('#prj-ms-name[aria-invalid="true"]');
  assert.equal((await get(`projects/${CODE}`)).milestones.length, n);
  await page.fill('#prj-ms-name', '并网发电');
  await page.click('[data-testid="milestone-submit"]');
  await page.waitForFunction(() => /已新增节点“并网发电”/.test(document.querySelector('[data-testid="flash"]')?.textContent));
  assert.equal((await get(`projects/${CODE}`)).milestones.length, n + 1);
  // 需协调解决的问题: written by the department, read by everyone.
  await page.fill('#prj-is-issues', '送出线路用地手续待省自然资源厅批复');
  await page.click('[data-testid="issues-submit"]');
  await page.waitForFunction(() => /已保存需协调解决的问题/.test(document.querySelector('[data-testid="flash"]')?.textContent));
  assert.equal((await get(`projects/${CODE}`)).issues, '送出线路用地手续待省自然资源厅批复');
  assert.equal(await page.inputValue('#prj-is-issues'), '送出线路用地手续待省自然资源厅批复');
});

test('another department reads the project but may not report on it', async () => {
  await signInAs(ui, page, 'other');
  await page.goto(ui.url(`#/projects/${CODE}`));
  await page.waitForSelector('[data-testid="facts"]');
  assert.equal(await page.locator('[data-testid="report-form"]').count(), 0);
  assert.match(await text('[data-testid="no-form"]'), /本项目由 市发展和改革委员会 负责报送/);
  assert.deepEqual(ui.errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no console error');
});

// ---- 督办意见 on a project: a leader writes, the department answers ------------

const PRJ_NOTE = '请说明风机吊装滞后原因并报送赶工计划';
const PRJ_ANSWER = '已调配两台吊车，月底前完成全部吊装';
const notesNow = async () => (await get(`projects/${CODE}`)).notes;

test('a leader writes a 督办 note on a project; bad input is refused at its field', async () => {
  await signInAs(ui, page, 'leader');
  await at(`#/projects/${CODE}`);
  const form = page.locator('[data-testid="prj-note-form"]');
  await form.waitFor();
  const before = await notesNow();
  assert.deepEqual(before, []);
  // Empty text: the API names the field, the page says it there.
  await form.locator('[data-testid="prj-note-submit"]').click();
  await form.locator('[data-testid="text-error"]').filter({ hasText: 'text' }).waitFor();
  assert.equal(await text('[data-testid="prj-note-form"] [data-testid="text-error"]'), '督办意见有误：text: the note');
  assert.equal(await page.getAttribute('#prj-nt-text', 'aria-invalid'), 'true');
  // A due day gone by.
  await page.fill('#prj-nt-text', PRJ_NOTE);
  await page.fill('#prj-nt-due', '2020-01-01');
  await form.locator('[data-testid="prj-note-submit"]').click();
  await form.locator('[data-testid="due-error"]').filter({ hasText: 'due' }).waitFor();
  assert.match(await text('[data-testid="prj-note-form"] [data-testid="due-error"]'), /^答复期限有误：due: 2020-01-01 is before today/);
  assert.equal(await text('[data-testid="prj-note-form"] [data-testid="text-error"]'), '');
  assert.deepEqual(await notesNow(), before, 'nothing written');
  // The default due day, a week on, is accepted.
  await page.fill('#prj-nt-due', new Date(Date.now() + 7 * 86400e3).toISOString().slice(0, 10));
  await form.locator('[data-testid="prj-note-submit"]').click();
  await page.waitForSelector('[data-testid="prj-note"]');
  assert.equal(await text('[data-testid="flash"]'), '已发出督办意见。');
  const note = page.locator('[data-testid="prj-note"]');
  assert.equal(await note.count(), 1);
  assert.equal((await note.locator('[data-testid="prj-note-text"]').textContent()).trim(), PRJ_NOTE);
  assert.equal((await note.locator('[data-testid="prj-note-state"]').textContent()).trim(), '待答复');
  assert.equal(await note.locator('form').count(), 0, 'a leader does not answer');
});

test('the department finds the note in 我的待办 and answers it on the project page; the leader sees the answer', async () => {
  await signInAs(ui, page, 'clerk');
  await page.click('nav [data-nav="todo"]');
  const item = page.locator('[data-testid="todo-project-notes"] [data-testid="todo-item"]');
  await item.first().waitFor({ timeout: 15000 });
  assert.equal(await item.count(), 1);
  assert.match(await item.textContent(), new RegExp(`${PRJ_NOTE}.*国电投40万千瓦风电项目.*答复期限`));
  await item.locator('a').click();
  await page.waitForSelector('[data-testid="prj-note"].focus');
  const n = page.locator('[data-testid="prj-note"]');
  // An empty answer: refused at its field, nothing changes.
  await n.locator('[data-testid="prj-answer-submit"]').click();
  await n.locator('[data-testid="answer-error"]').filter({ hasText: 'answer' }).waitFor();
  assert.equal(await n.locator('[data-testid="answer-error"]').textContent(), '答复内容有误：answer: text');
  assert.equal((await notesNow())[0].answer, null);
  await n.locator('textarea').fill(PRJ_ANSWER);
  await n.locator('[data-testid="prj-answer-submit"]').click();
  await page.waitForSelector('[data-testid="prj-note"] [data-testid="prj-answer"]');
  assert.equal(await text('[data-testid="flash"]'), '已提交答复。');
  assert.match(await text('[data-testid="prj-answer"]'), new RegExp(`clerk 于\\d{4}年\\d+月\\d+日答复.*${PRJ_ANSWER}`));
  assert.equal(await page.locator('[data-testid="prj-answer-form"]').count(), 0, 'answered once');
  await page.click('nav [data-nav="todo"]');
  await page.waitForSelector('[data-testid="todo-project-notes"] .muted');
  assert.equal(await page.locator('[data-testid="todo-project-notes"] [data-testid="todo-item"]').count(), 0);
  assert.match(await text('[data-testid="todo-project-notes"]'), /没有待答复的项目督办意见/);
  await shot('note-answered');

  await signInAs(ui, page, 'leader');
  await at(`#/projects/${CODE}`);
  await page.waitForSelector('[data-testid="prj-answer"]');
  assert.equal((await page.textContent('[data-testid="prj-note"] .answer-text')).trim(), PRJ_ANSWER);
  await page.locator('[data-testid="prj-notes"]').screenshot({ path: join(SHOTS, 'projects-notes.png') });
});

test('the public sees how many notes a project has, not what they say', async () => {
  await signInAs(ui, page, 'resident');
  await at(`#/projects/${CODE}`);
  const hidden = page.locator('[data-testid="prj-notes-hidden"]');
  await hidden.waitFor();
  assert.match(await hidden.textContent(), /该项目有 1 条督办意见，内容仅对工作人员公开/);
  assert.doesNotMatch(await page.textContent('#main'), new RegExp(`${PRJ_NOTE}|${PRJ_ANSWER}`));
  assert.equal(await page.locator('[data-testid="prj-note-form"]').count(), 0);
  assert.deepEqual(ui.errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no console error');
});
