// The task lists' routes (督办): lists, tasks with their status shown on a
// day, one task, the on-time summary, and the writes — a progress report,
// a status change, a supervision note and its answer — as every role, with
// the domain's rules (task.h) and bad input refused and nothing changed.
// The public reads lists and tasks but not the notes' texts.  The last
// test fails when a /task-lists or /tasks route is called by no test here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, routeTable, assertError, auditLength as auditOf } from './harness.mjs';

const ROUTES = routeTable().filter((rt) => /^\/api\/v1\/(task-lists|tasks)/.test(rt.pattern));
const covered = new Set();
const cover = (method, pattern) => covered.add(`${method} ${pattern}`);

let srv;
const as = {};
const CALLERS = ['anonymous', 'resident', 'clerk', 'other', 'reviewer', 'leader', 'admin'];
// Writes run on the server's date: notes are due some days after it.
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

before(async () => {
  srv = await start();
  as.anonymous = srv.anonymous();
  for (const who of CALLERS.slice(1)) as[who] = await srv.login(who);
});
after(async () => { await srv?.stop(); });

const refused = (r, who) => assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');

const auditLength = () => auditOf(as.leader);
const task = async (code) => (await as.admin.get(`/api/v1/tasks/${code}`)).json;

test('GET /task-lists: the two lists with their tasks by status', async () => {
  cover('GET', '/api/v1/task-lists');
  const r = await as.anonymous.get('/api/v1/task-lists?today=2026-11-29');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((l) => l.code), ['2026-LWLB', '2026-MSSS']);
  const l = r.json.items[0];
  assert.equal(l.tasks, 5);
  assert.equal(Object.values(l.status).reduce((a, b) => a + b, 0), 5);
  assert.equal(l.status.late, 1, '2026-LWLB-03 is past its deadline');
  assertError(await as.anonymous.get('/api/v1/task-lists?today=someday'), 400, 'invalid', 'today');
});

test('GET /tasks: filters by list, department and the status shown on a day', async () => {
  cover('GET', '/api/v1/tasks');
  let r = await as.anonymous.get('/api/v1/tasks?limit=1000');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 14);
  r = await as.anonymous.get('/api/v1/tasks?list=2026-LWLB');
  assert.equal(r.json.total, 5);
  r = await as.anonymous.get('/api/v1/tasks?department=FGW');
  assert.deepEqual(r.json.items.map((t) => t.code), ['2026-LWLB-01', '2026-LWLB-02']);
  r = await as.anonymous.get(`/api/v1/tasks?status=${encodeURIComponent('滞后')}&today=2026-11-29`);
  assert.ok(r.json.items.some((t) => t.code === '2026-LWLB-03'));
  assert.ok(r.json.items.every((t) => t.status === 'late' && t.overdue.length > 0));
  const overdue = await as.anonymous.get('/api/v1/tasks?status=overdue&today=2026-11-29');
  assert.deepEqual(overdue.json.items.map((t) => t.code), r.json.items.map((t) => t.code));
  r = await as.anonymous.get('/api/v1/tasks?status=late&today=2026-01-15');
  assert.ok(!r.json.items.some((t) => t.code === '2026-LWLB-03'), 'not late before its deadline');
  r = await as.anonymous.get('/api/v1/tasks?limit=3&offset=3');
  assert.equal(r.json.items.length, 3);
  assert.equal(r.json.total, 14);
  assertError(await as.anonymous.get('/api/v1/tasks?list=2030-X'), 400, 'invalid', 'list');
  assertError(await as.anonymous.get('/api/v1/tasks?department=NOPE'), 400, 'invalid', 'department');
  assertError(await as.anonymous.get('/api/v1/tasks?status=soon'), 400, 'invalid', 'status');
});

test('GET /tasks/{code}: milestones, reports; the notes to staff only', async () => {
  cover('GET', '/api/v1/tasks/{code}');
  const r = await as.anonymous.get('/api/v1/tasks/2026-LWLB-03?today=2026-11-29');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status_zh, '滞后');
  assert.equal(r.json.status_set_zh, '推进中');
  assert.equal(r.json.milestones.length, 2);
  assert.ok(r.json.reports.length >= 1);
  assert.ok(r.json.reports.every((x) => x.actor === null), 'the public sees no names of staff');
  assert.equal(r.json.notes, undefined);
  assert.equal(r.json.notes_n, 0);
  assert.deepEqual((await as.clerk.get('/api/v1/tasks/2026-LWLB-03')).json.notes, []);
  assertError(await as.anonymous.get('/api/v1/tasks/NO-SUCH'), 404, 'not_found', 'code');
});

test('GET /tasks/summary: per list and department, the on-time rate with its parts', async () => {
  cover('GET', '/api/v1/tasks/summary');
  let r = await as.anonymous.get('/api/v1/tasks/summary?today=2026-11-29');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.by, 'list');
  assert.deepEqual(r.json.items.map((x) => x.key), ['2026-LWLB', '2026-MSSS']);
  r = await as.anonymous.get('/api/v1/tasks/summary?by=department&today=2026-11-29');
  const tjj = r.json.items.find((x) => x.key === 'TJJ');
  assert.deepEqual([tjj.tasks, tjj.due, tjj.on_time, tjj.on_time_pct, tjj.overdue], [1, 1, 0, 0, 1]);
  const fgw = r.json.items.find((x) => x.key === 'FGW');
  assert.deepEqual([fgw.due, fgw.on_time, fgw.on_time_pct], [1, 1, 100]);
  assertError(await as.anonymous.get('/api/v1/tasks/summary?by=colour'), 400, 'invalid', 'by');
});

test('POST /tasks/{code}/reports as every caller: the owner department or a leader', async (t) => {
  cover('POST', '/api/v1/tasks/{code}/reports');
  const may = new Set(['clerk', 'leader', 'admin']); // 2026-LWLB-02 is FGW's
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const before = await task('2026-LWLB-02');
      const n0 = await auditLength();
      const r = await as[who].post('/api/v1/tasks/2026-LWLB-02/reports', { text: `进展 ${who}`, achieved: 3 });
      if (!may.has(who)) {
        refused(r, who);
        assert.deepEqual(await task('2026-LWLB-02'), before);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r.status, 200, r.text);
      const after = await task('2026-LWLB-02');
      assert.equal(after.reports.length, before.reports.length + 1);
      assert.equal(after.reports.at(-1).actor, who);
      assert.equal(after.achieved, 3);
      assert.equal(await auditLength(), n0 + 1);
    });
  }
  const before = await task('2026-LWLB-02');
  const n0 = await auditLength();
  assertError(await as.clerk.post('/api/v1/tasks/2026-LWLB-02/reports', { text: '' }), 400, 'invalid', 'text');
  assertError(await as.clerk.post('/api/v1/tasks/2026-LWLB-02/reports', { text: 'x', achieved: -2 }), 400, 'invalid', 'achieved');
  assertError(await as.clerk.post('/api/v1/tasks/NO-SUCH/reports', { text: 'x' }), 404, 'not_found');
  assert.deepEqual(await task('2026-LWLB-02'), before);
  assert.equal(await auditLength(), n0);
});

test('POST /tasks/{code}/status: the rules of task.h; 已销号 by a leader only', async (t) => {
  cover('POST', '/api/v1/tasks/{code}/status');
  const code = '2026-LWLB-02'; // FGW's, 推进中
  for (const who of ['anonymous', 'resident', 'other', 'reviewer']) {
    await t.test(who, async () => {
      const n0 = await auditLength();
      refused(await as[who].post(`/api/v1/tasks/${code}/status`, { status: '已完成' }), who);
      assert.equal((await task(code)).status_set, 'in_progress');
      assert.equal(await auditLength(), n0);
    });
  }
  let n0 = await auditLength();
  assertError(await as.clerk.post(`/api/v1/tasks/${code}/status`, { status: '未开始' }), 409, 'conflict', 'status');
  assertError(await as.clerk.post(`/api/v1/tasks/${code}/status`, { status: '滞后' }), 400, 'invalid', 'status');
  assertError(await as.clerk.post(`/api/v1/tasks/${code}/status`, { status: 'soon' }), 400, 'invalid', 'status');
  assertError(await as.clerk.post(`/api/v1/tasks/${code}/status`, { status: '已销号' }), 409, 'conflict', 'status');
  assertError(await as.clerk.post('/api/v1/tasks/NO-SUCH/status', { status: '已完成' }), 404, 'not_found');
  assert.equal((await task(code)).status_set, 'in_progress');
  assert.equal(await auditLength(), n0, 'nothing refused is audited');
  let r = await as.clerk.post(`/api/v1/tasks/${code}/status`, { status: '已完成' });
  assert.equal(r.status, 200, r.text);
  let x = await task(code);
  assert.equal(x.status_set, 'done');
  assert.equal(x.done_on, day(0));
  // Struck off: a leader's step, not the department's.
  n0 = await auditLength();
  assertError(await as.clerk.post(`/api/v1/tasks/${code}/status`, { status: '已销号' }), 403, 'forbidden');
  assert.equal((await task(code)).status_set, 'done');
  assert.equal(await auditLength(), n0);
  r = await as.leader.post(`/api/v1/tasks/${code}/status`, { status: 'closed' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await task(code)).status_set, 'closed');
  assertError(await as.admin.post(`/api/v1/tasks/${code}/status`, { status: '推进中' }), 409, 'conflict', 'status');
  // A jump the rules forbid: 未开始 straight to 已销号.
  assertError(await as.admin.post('/api/v1/tasks/2026-MSSS-09/status', { status: '已销号' }), 409, 'conflict', 'status');
  assert.equal((await task('2026-MSSS-09')).status_set, 'not_started');
});

test('POST /tasks/{code}/notes and /notes/{id}/answer: leaders write, the owner (or a leader) answers once', async (t) => {
  cover('POST', '/api/v1/tasks/{code}/notes');
  cover('POST', '/api/v1/tasks/{code}/notes/{id}/answer');
  const code = '2026-LWLB-03'; // TJJ's: "other" owns it
  for (const who of ['anonymous', 'resident', 'clerk', 'other', 'reviewer']) {
    await t.test(`note as ${who}`, async () => {
      const n0 = await auditLength();
      refused(await as[who].post(`/api/v1/tasks/${code}/notes`, { text: '请加快进度', due: day(7) }), who);
      assert.equal((await task(code)).notes.length, 0);
      assert.equal(await auditLength(), n0);
    });
  }
  const n0 = await auditLength();
  assertError(await as.leader.post(`/api/v1/tasks/${code}/notes`, { text: '请加快进度', due: day(-3) }), 400, 'invalid', 'due');
  assertError(await as.leader.post(`/api/v1/tasks/${code}/notes`, { text: '请加快进度', due: 'next week' }), 400, 'invalid', 'due');
  assertError(await as.leader.post(`/api/v1/tasks/${code}/notes`, { text: '', due: day(7) }), 400, 'invalid', 'text');
  assertError(await as.leader.post('/api/v1/tasks/NO-SUCH/notes', { text: 'x', due: day(7) }), 404, 'not_found');
  assert.equal(await auditLength(), n0);
  let r = await as.leader.post(`/api/v1/tasks/${code}/notes`, { text: '请说明滞后原因并提出整改措施', due: day(7) });
  assert.equal(r.status, 200, r.text);
  const id = r.json.id;
  r = await as.admin.post(`/api/v1/tasks/${code}/notes`, { text: '督查室：月底前报送', due: day(10) });
  assert.equal(r.status, 200, r.text);
  let x = await task(code);
  assert.equal(x.notes.length, 2);
  assert.equal(x.notes_open, 2);
  assert.equal(x.notes[0].author, 'leader');
  // The public: how many, not what.
  const pub = (await as.anonymous.get(`/api/v1/tasks/${code}`)).json;
  assert.equal(pub.notes, undefined);
  assert.equal(pub.notes_n, 2);
  assert.doesNotMatch(JSON.stringify(pub), /滞后原因/);
  const sum = (await as.anonymous.get('/api/v1/tasks/summary?by=department')).json.items.find((y) => y.key === 'TJJ');
  assert.deepEqual([sum.notes, sum.notes_open], [2, 2]);
  // Answers: not by another department, not empty, not on another task.
  for (const who of ['anonymous', 'resident', 'clerk', 'reviewer']) {
    await t.test(`answer as ${who}`, async () => {
      const a0 = await auditLength();
      refused(await as[who].post(`/api/v1/tasks/${code}/notes/${id}/answer`, { answer: '已整改' }), who);
      assert.equal((await task(code)).notes_open, 2);
      assert.equal(await auditLength(), a0);
    });
  }
  assertError(await as.other.post(`/api/v1/tasks/${code}/notes/${id}/answer`, { answer: '' }), 400, 'invalid', 'answer');
  assertError(await as.other.post(`/api/v1/tasks/2026-LWLB-02/notes/${id}/answer`, { answer: 'x' }), 404, 'not_found', 'id');
  assertError(await as.other.post(`/api/v1/tasks/${code}/notes/99999/answer`, { answer: 'x' }), 404, 'not_found', 'id');
  assertError(await as.other.post(`/api/v1/tasks/${code}/notes/abc/answer`, { answer: 'x' }), 404, 'not_found', 'id');
  r = await as.other.post(`/api/v1/tasks/${code}/notes/${id}/answer`, { answer: '已完成18项对标，月底前完成其余7项' });
  assert.equal(r.status, 200, r.text);
  x = await task(code);
  const note = x.notes.find((y) => y.id === id);
  assert.equal(note.answered_by, 'other');
  assert.equal(note.answered_on, day(0));
  assert.equal(x.notes_open, 1);
  const a1 = await auditLength();
  assertError(await as.other.post(`/api/v1/tasks/${code}/notes/${id}/answer`, { answer: '再答' }), 409, 'conflict');
  assert.equal(await auditLength(), a1);
  // A leader may answer too.
  r = await as.leader.post(`/api/v1/tasks/${code}/notes/${x.notes.find((y) => y.id !== id).id}/answer`, { answer: '已协调' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await task(code)).notes_open, 0);
});

// ---- the writes that set the lists up: the supervision office's -----------

const lists = async () => (await as.admin.get('/api/v1/task-lists?limit=1000')).json.items;
const LEADERS = new Set(['leader', 'admin']);

test('POST /task-lists as every caller: leaders and admin; bad input refused', async (t) => {
  cover('POST', '/api/v1/task-lists');
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const n0 = await auditLength();
      const r = await as[who].post('/api/v1/task-lists', { code: `2027-${who}`, year: 2027, name: `2027年测试清单（${who}）`, kind: '民生实事' });
      if (!LEADERS.has(who)) {
        refused(r, who);
        assert.equal((await lists()).find((l) => l.code === `2027-${who}`), undefined);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r.status, 201, r.text);
      const l = (await lists()).find((x) => x.code === `2027-${who}`);
      assert.equal(l.name, `2027年测试清单（${who}）`);
      assert.equal(l.kind, '民生实事');
      assert.equal(l.year, 2027);
      assert.equal(await auditLength(), n0 + 1);
    });
  }
  // Renamed by its code, the rest kept.
  let r = await as.leader.post('/api/v1/task-lists', { code: '2027-leader', name: '2027年民生实事' });
  assert.equal(r.status, 200, r.text);
  const l = (await lists()).find((x) => x.code === '2027-leader');
  assert.deepEqual([l.name, l.year, l.kind], ['2027年民生实事', 2027, '民生实事']);
  const n0 = await auditLength();
  const before = await lists();
  const post = (b) => as.leader.post('/api/v1/task-lists', b);
  assertError(await post({ code: '2027-X', year: '2027', name: 'x' }), 400, 'invalid', 'year');
  assertError(await post({ code: '2027-X', year: 27, name: 'x' }), 400, 'invalid', 'year');
  assertError(await post({ code: '2027-X', year: 2027 }), 400, 'invalid', 'name');
  assertError(await post({ year: 2027, name: 'x' }), 400, 'invalid', 'code');
  assertError(await post({ code: '2027-X', year: 2027, name: 'x', owner: 'FGW' }), 400, 'invalid', 'owner');
  assert.deepEqual(await lists(), before);
  assert.equal(await auditLength(), n0);
});

test('POST /tasks as every caller: leaders add tasks to a list; bad input refused', async (t) => {
  cover('POST', '/api/v1/tasks');
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const n0 = await auditLength();
      const r = await as[who].post('/api/v1/tasks', { list: '2027-leader', code: `2027-T-${who}`, title: `建成口袋公园3个（${who}）`, department: 'FGW', leader: '分管城建副市长', deadline: '2027-10-31', target: 3, unit: '个' });
      if (!LEADERS.has(who)) {
        refused(r, who);
        assert.equal((await task(`2027-T-${who}`)).error?.code, 'not_found');
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r.status, 201, r.text);
      const x = await task(`2027-T-${who}`);
      assert.deepEqual([x.list, x.department, x.deadline, x.target, x.unit, x.status_set, x.achieved], ['2027-leader', 'FGW', '2027-10-31', 3, '个', 'not_started', null]);
      assert.equal(await auditLength(), n0 + 1);
    });
  }
  const n0 = await auditLength();
  const total0 = (await as.admin.get('/api/v1/tasks?limit=1')).json.total;
  const good = { list: '2027-leader', code: '2027-T-BAD', title: '坏任务', deadline: '2027-10-31' };
  const post = (b) => as.leader.post('/api/v1/tasks', b);
  assertError(await post({ ...good, list: 'NOPE' }), 400, 'invalid', 'list');
  assertError(await post({ ...good, deadline: '2027-02-29' }), 400, 'invalid', 'deadline');
  assertError(await post({ ...good, deadline: undefined }), 400, 'invalid', 'deadline');
  assertError(await post({ ...good, target: -1 }), 400, 'invalid', 'target');
  assertError(await post({ ...good, target: '15' }), 400, 'invalid', 'target');
  assertError(await post({ ...good, department: 'NOPE' }), 400, 'invalid', 'department');
  assertError(await post({ ...good, title: undefined }), 400, 'invalid', 'title');
  assertError(await post({ ...good, status: 'late' }), 400, 'invalid', 'status');
  assertError(await post({ ...good, code: '2027-T-leader' }), 409, 'conflict', 'code');
  assert.equal((await as.admin.get('/api/v1/tasks?limit=1')).json.total, total0);
  assert.equal(await auditLength(), n0);
});

test('POST /tasks/{code} as every caller: leaders edit; its department only the figure reached', async (t) => {
  cover('POST', '/api/v1/tasks/{code}');
  const code = '2027-T-leader'; // FGW's
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const before = await task(code);
      const n0 = await auditLength();
      const r = await as[who].post(`/api/v1/tasks/${code}`, { achieved: 1 + CALLERS.indexOf(who) });
      if (!['clerk', 'leader', 'admin'].includes(who)) {
        refused(r, who);
        assert.deepEqual(await task(code), before);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r.status, 200, r.text);
      assert.equal((await task(code)).achieved, 1 + CALLERS.indexOf(who));
      assert.equal(await auditLength(), n0 + 1);
    });
  }
  // What the task is: the supervision office's.
  const n0 = await auditLength();
  const before = await task(code);
  assertError(await as.clerk.post(`/api/v1/tasks/${code}`, { title: '改了' }), 403, 'forbidden', 'title');
  assertError(await as.clerk.post(`/api/v1/tasks/${code}`, { deadline: '2028-01-01', achieved: 2 }), 403, 'forbidden', 'deadline');
  assertError(await as.clerk.post(`/api/v1/tasks/${code}`, { achieved: -1 }), 400, 'invalid', 'achieved');
  assertError(await as.clerk.post(`/api/v1/tasks/${code}`, { achieved: 'two' }), 400, 'invalid', 'achieved');
  assertError(await as.leader.post(`/api/v1/tasks/${code}`, { deadline: '2027-06-31' }), 400, 'invalid', 'deadline');
  assertError(await as.leader.post(`/api/v1/tasks/${code}`, { status: 'done' }), 400, 'invalid', 'status');
  assertError(await as.leader.post(`/api/v1/tasks/${code}`, { code: 'X' }), 400, 'invalid', 'code');
  assertError(await as.leader.post(`/api/v1/tasks/${code}`, { list: 'NOPE' }), 400, 'invalid', 'list');
  assertError(await as.leader.post(`/api/v1/tasks/${code}`, { title: '' }), 400, 'invalid', 'title');
  assertError(await as.leader.post('/api/v1/tasks/NO-SUCH', { title: 'x' }), 404, 'not_found', 'code');
  assert.deepEqual(await task(code), before);
  assert.equal(await auditLength(), n0);
  const r = await as.leader.post(`/api/v1/tasks/${code}`, { title: '建成口袋公园4个', target: 4, deadline: '2027-11-30', department: 'TJJ' });
  assert.equal(r.status, 200, r.text);
  const x = await task(code);
  assert.deepEqual([x.title, x.target, x.deadline, x.department, x.unit], ['建成口袋公园4个', 4, '2027-11-30', 'TJJ', '个']);
  // Now TJJ's: FGW's clerk may no more, TJJ's may.
  refused(await as.clerk.post(`/api/v1/tasks/${code}`, { achieved: 3 }), 'clerk');
  assert.equal((await as.other.post(`/api/v1/tasks/${code}`, { achieved: 3 })).status, 200);
});

test('POST /tasks/{code}/milestones: leaders add and change; its department marks one done', async (t) => {
  cover('POST', '/api/v1/tasks/{code}/milestones');
  const code = '2027-T-admin'; // FGW's
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const before = await task(code);
      const n0 = await auditLength();
      const r = await as[who].post(`/api/v1/tasks/${code}/milestones`, { name: `节点（${who}）`, due: '2027-06-30' });
      if (!LEADERS.has(who)) {
        assertError(r, who === 'anonymous' ? 401 : 403);
        assert.deepEqual(await task(code), before);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r.status, 201, r.text);
      const ms = (await task(code)).milestones;
      assert.deepEqual(ms.at(-1), { seq: ms.length, name: `节点（${who}）`, due: '2027-06-30', done_on: null, overdue: false });
      assert.equal(await auditLength(), n0 + 1);
    });
  }
  // The department marks milestone 1 done; the name and due stay.
  let r = await as.clerk.post(`/api/v1/tasks/${code}/milestones`, { seq: 1, done_on: '2027-06-20' });
  assert.equal(r.status, 200, r.text);
  let m = (await task(code)).milestones[0];
  assert.deepEqual([m.name, m.due, m.done_on], ['节点（leader）', '2027-06-30', '2027-06-20']);
  refused(await as.other.post(`/api/v1/tasks/${code}/milestones`, { seq: 1, done_on: '2027-06-21' }), 'other');
  // A leader renames milestone 2 by its number.
  r = await as.leader.post(`/api/v1/tasks/${code}/milestones`, { seq: 2, name: '全部建成', due: '2027-09-30' });
  assert.equal(r.status, 200, r.text);
  const n0 = await auditLength();
  const before = await task(code);
  const ms = (b, who = 'leader') => as[who].post(`/api/v1/tasks/${code}/milestones`, b);
  assertError(await ms({ seq: 1, name: '改名' }, 'clerk'), 403, 'forbidden', 'name');
  assertError(await ms({ done_on: '2027-06-20' }, 'clerk'), 400, 'invalid', 'seq');
  assertError(await ms({ seq: 9, done_on: '2027-06-20' }, 'clerk'), 404, 'not_found', 'seq');
  assertError(await ms({ seq: 1, done_on: '2027-13-01' }, 'clerk'), 400, 'invalid', 'done_on');
  assertError(await ms({ name: '新节点', due: 'soon' }), 400, 'invalid', 'due');
  assertError(await ms({ name: '新节点' }), 400, 'invalid', 'due');
  assertError(await ms({ due: '2027-10-01' }), 400, 'invalid', 'name');
  assertError(await ms({ seq: 0, name: 'x', due: '2027-10-01' }), 400, 'invalid', 'seq');
  assertError(await as.leader.post('/api/v1/tasks/NO-SUCH/milestones', { name: 'x', due: '2027-10-01' }), 404, 'not_found', 'code');
  assert.deepEqual(await task(code), before);
  assert.equal(await auditLength(), n0);
  m = null;
});

test('GET /tasks/notes.csv: the 督办 notes with their answers, leaders and admin only', async (t) => {
  cover('GET', '/api/v1/tasks/notes.csv');
  const notes = (await task('2026-LWLB-03')).notes;
  assert.ok(notes.length > 0, 'a test above wrote a note');
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const r = await as[who].get('/api/v1/tasks/notes.csv');
      if (!LEADERS.has(who)) {
        refused(r, who);
        assert.doesNotMatch(r.text, new RegExp(notes[0].text));
        return;
      }
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type'), /^text\/csv/);
      const lines = r.text.trim().split('\n');
      assert.equal(lines[0], 'task,id,author,day,due,text,answered_by,answered_on,answer');
      const n = notes[0];
      const row = lines.find((l) => l.startsWith(`2026-LWLB-03,${n.id},`));
      assert.ok(row, r.text);
      assert.equal(row, ['2026-LWLB-03', n.id, n.author, n.day, n.due, n.text, n.answered_by ?? '', n.answered_on ?? '', n.answer ?? ''].join(','));
    });
  }
});

test('every /task-lists and /tasks route of the table is called by a test above', () => {
  const missing = ROUTES.map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !covered.has(k));
  assert.deepEqual(missing, [], 'routes without a test in tasks.test.mjs');
});
