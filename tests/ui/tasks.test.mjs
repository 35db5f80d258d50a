// 督办 in the cockpit: the task lists with their counts (as the API counts
// them) and overdue tasks highlighted and first; a leader writes a
// supervision note, the owner department finds it in its to-do view and
// answers it on the task page, the leader sees the answer; bad input is
// shown at the field the API names and changes nothing; the owner reports
// progress and finishes the task; the English switch; the public sees the
// number of notes but never their text.  Screenshots: build/ui/tasks-*.png.
//
// Reads are judged on a fixed day (?today=2026-11-29, the demo's "now"):
// 2026-LWLB-03 (市统计局, the "other" account) is then past its deadline.
// Writes use the server's date, which the note's due day follows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, SHOTS, PHONE, signIn as signInAs } from './browser.mjs';

const TODAY = '2026-11-29';
const LATE = '2026-LWLB-03';
const NOTE = '请于一周内报告25项考核指标逐项对标的进展和月调度安排';
const ANSWER = '已完成18项对标，其余7项本月底前完成，月调度已建立';

let ui;
let page;
before(async () => {
  ui = await open();
  page = await ui.page();
});
after(async () => { await ui.stop(); });

// Signed out first: the header naming the one signed in before would
// otherwise satisfy signIn's wait while the new sign-in is under way.
async function signIn(name) {
  await page.goto('about:blank');
  await ui.context.clearCookies();
  await signInAs(ui, page, name);
}
const apiGet = (path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);
const notesOf = async (code) => (await apiGet(`/api/v1/tasks/${code}`)).notes;
const shot = (name) => page.screenshot({ path: join(SHOTS, `tasks-${name}.png`), fullPage: true });

async function taskPage(code = LATE, query = `?today=${TODAY}`) {
  await page.goto(ui.url(`#/tasks/${code}${query}`));
  await page.waitForSelector(`.task-page[data-code="${code}"]`, { timeout: 15000 });
}

test('the task lists: counts as the API counts them, overdue rows highlighted and first', async () => {
  await page.goto(ui.url(`#/tasks?today=${TODAY}`));
  await page.waitForSelector('[data-testid="task-list"] [data-testid="task-row"]', { timeout: 15000 });
  assert.equal((await page.textContent('h1')).trim(), '任务清单与督办');
  assert.match(await page.textContent('.page-head .meta'), /截至2026年11月29日/);
  const api = await apiGet(`/api/v1/task-lists?today=${TODAY}`);
  const lists = page.locator('[data-testid="task-list"]');
  assert.equal(await lists.count(), api.items.length);
  for (const l of api.items) {
    const sec = page.locator(`[data-testid="task-list"][data-list="${l.code}"]`);
    assert.match(await sec.locator('h2').textContent(), new RegExp(l.name));
    assert.equal((await sec.locator('[data-testid="sample"]').count()) > 0, l.sample, 'sample lists are marked');
    for (const [s, n] of Object.entries(l.status)) {
      const shown = await sec.locator(`[data-testid="list-counts"] li[data-status="${s}"] [data-testid="count"]`).textContent();
      assert.equal(Number(shown), n, `${l.code} ${s}`);
    }
    assert.equal(await sec.locator('[data-testid="task-row"]').count(), l.tasks);
  }
  // The overdue task: highlighted, its badge 滞后, first in its list.
  const row = page.locator(`[data-testid="task-row"][data-code="${LATE}"]`);
  assert.equal(await row.getAttribute('data-status'), 'late');
  assert.match(await row.getAttribute('class'), /\blate\b/);
  assert.equal((await row.locator('[data-testid="task-status"]').textContent()).trim(), '滞后');
  assert.match(await row.textContent(), /已逾期 152 天/);
  const bg = await row.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'an overdue row has a background');
  for (const code of ['2026-LWLB', '2026-MSSS']) {
    const states = await page.locator(`[data-list="${code}"] [data-testid="task-row"]`).evaluateAll((rs) => rs.map((r) => r.dataset.status));
    const k = states.lastIndexOf('late');
    assert.ok(states.slice(0, k + 1).every((s) => s === 'late'), `${code}: overdue first (${states})`);
  }
  // The on-time rate with its numerator and denominator, as the API has it.
  const sum = await apiGet(`/api/v1/tasks/summary?by=department&today=${TODAY}`);
  const cgj = sum.items.find((g) => g.key === 'CGJ');
  assert.equal((await page.textContent('[data-testid="on-time"] tr[data-department="CGJ"] [data-testid="rate"]')).trim(),
    `${cgj.on_time}/${cgj.due} · ${cgj.on_time_pct.toFixed(1)}%`);
  await shot('lists');
  // Filters live in the hash: only the overdue tasks of 民生实事.
  await page.selectOption('#tasks-list', '2026-MSSS');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="task-list"]').length === 1);
  await page.selectOption('#tasks-status', 'late');
  await page.waitForFunction(() => /status=late/.test(location.hash) && /list=2026-MSSS/.test(location.hash));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="task-row"]')].every((r) => r.dataset.status === 'late'));
  const late = await apiGet(`/api/v1/tasks?list=2026-MSSS&status=late&today=${TODAY}`);
  assert.deepEqual(await page.locator('[data-testid="task-row"]').evaluateAll((rs) => rs.map((r) => r.dataset.code)),
    late.items.map((x) => x.code));
  const phone = await ui.page(PHONE);
  await phone.goto(ui.url(`#/tasks?today=${TODAY}`));
  await phone.waitForSelector('[data-testid="task-row"]');
  await phone.screenshot({ path: join(SHOTS, 'tasks-lists-phone.png'), fullPage: true });
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways page scroll on a phone');
  await phone.close();
});

test('a task page: facts, milestones with the overdue one highlighted, reports', async () => {
  await taskPage();
  assert.match(await page.textContent('h1'), /调整全市绩效考核体系/);
  const facts = await page.textContent('.tfacts');
  for (const s of ['市统计局', '常务副市长', '2026年6月30日', '25项', '18项']) assert.ok(facts.includes(s), s);
  const ms = page.locator('[data-testid="milestone"]');
  assert.equal(await ms.count(), 2);
  assert.equal(await ms.nth(1).getAttribute('data-overdue'), '1');
  assert.match(await ms.nth(1).getAttribute('class'), /\blate\b/);
  assert.equal(await ms.nth(0).getAttribute('data-overdue'), '0');
  assert.match(await page.textContent('[data-testid="report"]'), /18项指标完成对标/);
  // Anyone not signed in: no forms.
  assert.equal(await page.locator('form.tform').count(), 0);
});

test('bad input: an empty note and a due day in the past are refused at their fields, nothing is written', async () => {
  await signIn('leader');
  await taskPage();
  const before = await notesOf(LATE);
  await page.click('[data-testid="note-submit"]');
  const err = page.locator('[data-testid="note-text-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /请填写内容。.*text/);
  assert.equal(await page.getAttribute('#note-text', 'aria-invalid'), 'true');
  await page.fill('#note-text', NOTE);
  await page.fill('#note-due', '2020-01-01');
  await page.click('[data-testid="note-submit"]');
  await page.locator('[data-testid="note-due-error"]').waitFor();
  assert.match(await page.textContent('[data-testid="note-due-error"]'), /答复期限须是今天或以后的日期/);
  assert.equal(await page.textContent('[data-testid="note-text-error"]'), '', 'the text is fine now');
  assert.deepEqual(await notesOf(LATE), before, 'nothing written');
  await shot('bad-note');
});

test('a leader writes a 督办 note; the owner answers it from the to-do view; the leader sees the answer', async () => {
  await signIn('leader');
  await taskPage();
  assert.equal(await page.locator('[data-testid="notes"] [data-testid="note"]').count(), 0);
  await page.fill('#note-text', NOTE);
  // The due day is a week after the server's today by default.
  assert.match(await page.inputValue('#note-due'), /^\d{4}-\d{2}-\d{2}$/);
  await page.click('[data-testid="note-submit"]');
  await page.waitForSelector('[data-testid="flash"]');
  assert.equal((await page.textContent('[data-testid="flash"]')).trim(), '已发出督办意见。');
  const note = page.locator('[data-testid="note"]');
  assert.equal(await note.count(), 1);
  assert.equal((await note.locator('[data-testid="note-text"]').textContent()).trim(), NOTE);
  assert.equal((await note.locator('[data-testid="note-state"]').textContent()).trim(), '待答复');
  assert.equal(await note.locator('form').count(), 0, 'a leader does not answer their own note');

  // The owner department (市统计局) finds it in its to-do view.
  await signIn('other');
  assert.equal(await page.locator('nav [data-nav="todo"]').isVisible(), true);
  await page.click('nav [data-nav="todo"]');
  await page.waitForSelector('[data-testid="todo-notes"] [data-testid="todo-item"]', { timeout: 15000 });
  assert.match(await page.textContent('h1'), /我的待办.*市统计局/);
  const item = page.locator('[data-testid="todo-notes"] [data-testid="todo-item"]');
  assert.equal(await item.count(), 1);
  assert.match(await item.textContent(), new RegExp(`${NOTE}.*${LATE}`));
  assert.match(await page.textContent('[data-testid="todo-tasks"]'), new RegExp(`${LATE}.*滞后`));
  await shot('todo-department');
  await item.locator('a').click();
  await page.waitForSelector(`.task-page[data-code="${LATE}"] [data-testid="note"].focus`);
  const n = page.locator('[data-testid="note"]');
  const id = await n.getAttribute('data-note');
  // An empty answer is refused at its field.
  await n.locator(`[data-testid="answer-${id}-submit"]`).click();
  await page.locator(`[data-testid="answer-${id}-answer-error"]`).waitFor();
  assert.match(await page.textContent(`[data-testid="answer-${id}-answer-error"]`), /请填写答复内容/);
  assert.equal((await notesOf(LATE))[0].answer, null);
  await n.locator('textarea').fill(ANSWER);
  await n.locator(`[data-testid="answer-${id}-submit"]`).click();
  await page.waitForSelector('[data-testid="note"] [data-testid="answer"]');
  assert.equal((await page.textContent('[data-testid="flash"]')).trim(), '已提交答复。');
  assert.match(await page.textContent('[data-testid="answer"]'), new RegExp(`other 于\\d{4}年\\d+月\\d+日答复.*${ANSWER}`));
  await shot('answered');

  // The leader sees it answered, in the to-do view and on the task.
  await signIn('leader');
  await page.click('nav [data-nav="todo"]');
  await page.waitForSelector('[data-testid="todo-my-answered"] [data-testid="todo-item"]', { timeout: 15000 });
  assert.match(await page.textContent('[data-testid="todo-my-answered"]'), new RegExp(ANSWER));
  assert.match(await page.textContent('[data-testid="todo-my-open"]'), /还没有发出督办意见|待答复 0/);
  assert.match(await page.textContent('[data-testid="todo-late"]'), new RegExp(LATE));
  await shot('todo-leader');
  await taskPage();
  assert.equal((await page.textContent('[data-testid="note"] .answer-text')).trim(), ANSWER);
});

test('the owner reports progress and finishes the task; another department may not', async () => {
  await signIn('clerk'); // 市发改委: not this task's department
  await taskPage();
  assert.equal(await page.locator('form.tform').count(), 0);
  // Its to-do view names its key project that is behind, with a link to it.
  await page.goto(ui.url('#/todo'));
  const proj = page.locator('[data-testid="todo-projects"] [data-testid="todo-item"]', { hasText: 'JZ-XM-001' });
  await proj.waitFor({ timeout: 15000 });
  assert.match(await proj.textContent(), /国电投40万千瓦风电项目.*投资滞后于年度计划；有节点逾期/);
  assert.equal(await proj.locator('a').getAttribute('href'), '#/projects/JZ-XM-001');
  assert.equal(await page.locator('[data-testid="todo-tasks"] [data-testid="todo-item"]').count(),
    (await apiGet('/api/v1/tasks?department=FGW')).items.filter((x) => x.status !== 'done' && x.status !== 'closed'
      && (Date.parse(x.deadline) - Date.now()) / 86400e3 <= 30).length);
  await shot('todo-projects');
  await signIn('other');
  await taskPage();
  const reports = (await apiGet(`/api/v1/tasks/${LATE}`)).reports.length;
  await page.fill('#report-achieved', '-3');
  await page.fill('#report-text', '25项指标全部完成对标');
  await page.click('[data-testid="report-submit"]');
  await page.locator('[data-testid="report-achieved-error"]').waitFor();
  assert.match(await page.textContent('[data-testid="report-achieved-error"]'), /完成量须是不小于零的数字/);
  assert.equal((await apiGet(`/api/v1/tasks/${LATE}`)).reports.length, reports);
  await page.fill('#report-achieved', '25');
  await page.click('[data-testid="report-submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="flash"]')?.textContent === '已报送进展。');
  assert.match(await page.textContent('.tfacts'), /25项\s*已完成量25项|已完成量\s*25项/);
  // 已销号 is for leaders: the owner may only finish it.
  const options = await page.locator('#status-status option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(options, ['done']);
  await page.click('[data-testid="status-submit"]');
  await page.waitForFunction(() => /状态已变为“已完成”/.test(document.querySelector('[data-testid="flash"]')?.textContent));
  assert.equal(await page.getAttribute('.page-head [data-testid="task-status"]', 'data-status'), 'done');
  assert.equal((await apiGet(`/api/v1/tasks/${LATE}`)).status, 'done');
  assert.equal(await page.locator('#status-status').count(), 0, 'nothing more the owner may do with its status');
  // A leader strikes it off (销号).
  await signIn('leader');
  await taskPage();
  const moves = await page.locator('#status-status option').evaluateAll((o) => o.map((x) => [x.value, x.textContent]));
  assert.deepEqual(moves, [['closed', '已销号（限领导）'], ['in_progress', '推进中（限领导）']]);
  await page.selectOption('#status-status', 'closed');
  await page.click('[data-testid="status-submit"]');
  await page.waitForFunction(() => /状态已变为“已销号”/.test(document.querySelector('[data-testid="flash"]')?.textContent));
  assert.equal(await page.getAttribute('.page-head [data-testid="task-status"]', 'data-status'), 'closed');
  assert.equal(await page.locator('form.tform').count(), 1, 'only the note form is left on a task struck off');
});

test('the English switch', async () => {
  await page.goto(ui.url(`#/tasks?today=${TODAY}`));
  await page.waitForSelector('[data-testid="task-row"]');
  await page.click('[data-lang="en"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Task lists and supervision');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal((await page.textContent('nav [data-nav="tasks"]')).trim(), 'Tasks');
  assert.equal((await page.textContent('nav [data-nav="todo"]')).trim(), 'My to-do');
  assert.match(await page.textContent('.page-head .meta'), /as of 29 Nov 2026/);
  const heads = await page.locator('[data-testid="task-list"] thead th').allTextContents();
  assert.ok(heads.every((s) => !/[\u4e00-\u9fff]/.test(s)), `headers in English: ${heads}`);
  const badges = await page.locator('[data-testid="task-status"]').allTextContents();
  assert.ok(badges.includes('Overdue') && badges.includes('Done'));
  await page.waitForSelector('[data-testid="on-time"] th:text("On-time rate")');
  await shot('en');
  await taskPage();
  assert.match(await page.textContent('[data-testid="notes"] h2'), /Supervision notes/);
  assert.match(await page.textContent('.tfacts'), /Deadline\s*30 Jun 2026/);
  await page.click('[data-lang="zh"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
});

test('the public sees that there are notes, not what they say', async () => {
  await page.goto('about:blank');
  await ui.context.clearCookies();
  await taskPage();
  const hidden = page.locator('[data-testid="notes-hidden"]');
  await hidden.waitFor();
  assert.match(await hidden.textContent(), /该任务有 1 条督办意见，内容仅对工作人员公开/);
  const text = await page.textContent('main');
  assert.ok(!text.includes(NOTE) && !text.includes(ANSWER), 'no note text, no answer');
  assert.equal(await page.locator('[data-testid="note"]').count(), 0);
  assert.equal(await page.locator('nav [data-nav="todo"]').isVisible(), false);
  await page.goto(ui.url('#/todo'));
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /我的待办需要/);
  await shot('public');
  // The refusals the tests asked for are logged by the browser as 400s.
  const errors = ui.errors.filter((e) => !/status of 400 \(Bad Request\)/.test(e));
  assert.deepEqual(errors, [], 'no console error on the task pages');
});
