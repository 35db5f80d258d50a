// The key-project pipeline's routes (项目为王): the project table with its
// filters and totals, one project, the monitoring summary, programmes, and
// the two writes — a month's report, which moves the PROJ_INV figure, and
// a phase change — as every role, with bad input refused and nothing
// changed.  The last test fails when a /projects or /programmes route of
// the table is called by no test here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, routeTable } from './harness.mjs';

const ROUTES = routeTable().filter((rt) => /^\/api\/v1\/(projects|programmes)/.test(rt.pattern));
const covered = new Set();
const cover = (method, pattern) => covered.add(`${method} ${pattern}`);

let srv;
const as = {};
const CALLERS = ['anonymous', 'resident', 'clerk', 'other', 'reviewer', 'leader', 'admin'];
const FGW = 'JZ-XM-001'; // 国电投40万千瓦风电项目, FGW's, in 凌海市 (210781)

before(async () => {
  srv = await start();
  as.anonymous = srv.anonymous();
  for (const who of CALLERS.slice(1)) as[who] = await srv.login(who);
});
after(async () => { await srv?.stop(); });

function assertError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(typeof r.json?.error?.message, 'string', r.text);
  if (code) assert.equal(r.json.error.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

async function auditLength() {
  let n = 0;
  for (let from = 1; ;) {
    const r = await as.leader.get(`/api/v1/audit?limit=1000&from=${from}`);
    assert.equal(r.status, 200, r.text);
    n += r.json.items.length;
    if (r.json.items.length < 1000) return n;
    from = r.json.items.at(-1).id + 1;
  }
}

const project = async (code) => (await as.admin.get(`/api/v1/projects/${code}`)).json;

// PROJ_INV of an area for a month, as admin's /values sees it (0 when none).
async function projInv(area, period) {
  const r = await as.admin.get(`/api/v1/values?indicator=PROJ_INV&area=${area}&limit=1000`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((v) => v.period === period)?.value ?? 0;
}

test('GET /projects: every project, paged, with totals in 亿元', async () => {
  cover('GET', '/api/v1/projects');
  const all = await as.anonymous.get('/api/v1/projects?limit=1000');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.json.total >= 20, `the demo's projects: ${all.json.total}`);
  assert.equal(all.json.items.length, all.json.total);
  const p = all.json.items.find((x) => x.code === FGW);
  assert.equal(p.name, '国电投40万千瓦风电项目');
  assert.equal(p.total, 23);
  assert.equal(p.department, 'FGW');
  assert.equal(p.cluster, 'new_energy');
  const sum = all.json.items.reduce((s, x) => s + (x.total ?? 0), 0);
  assert.ok(Math.abs(sum - all.json.totals.total) < 0.05, `${sum} ≈ ${all.json.totals.total}`);
  assert.equal(all.json.totals.n, all.json.total);
  const page = await as.anonymous.get('/api/v1/projects?limit=2&offset=1');
  assert.deepEqual(page.json.items.map((x) => x.code), all.json.items.slice(1, 3).map((x) => x.code));
  assert.equal(page.json.total, all.json.total);
});

test('GET /projects: filters and sort', async () => {
  let r = await as.anonymous.get('/api/v1/projects?cluster=new_energy&limit=1000');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0 && r.json.items.every((x) => x.cluster === 'new_energy'));
  r = await as.anonymous.get(`/api/v1/projects?cluster=${encodeURIComponent('新能源')}`);
  assert.ok(r.json.items.every((x) => x.cluster === 'new_energy'), 'a cluster by its Chinese name');
  r = await as.anonymous.get('/api/v1/projects?department=FGW&limit=1000');
  assert.ok(r.json.items.some((x) => x.code === FGW) && r.json.items.every((x) => x.department === 'FGW'));
  r = await as.anonymous.get('/api/v1/projects?area=210781&limit=1000');
  assert.ok(r.json.items.some((x) => x.code === FGW) && r.json.items.every((x) => x.area === '210781'));
  r = await as.anonymous.get(`/api/v1/projects?phase=${encodeURIComponent('在建')}&limit=1000`);
  assert.ok(r.json.items.length > 0 && r.json.items.every((x) => x.phase_zh === '在建'));
  r = await as.anonymous.get(`/api/v1/projects?q=${encodeURIComponent('风电')}`);
  assert.ok(r.json.items.some((x) => x.code === FGW) && r.json.items.every((x) => /风电/.test(x.name)));
  r = await as.anonymous.get('/api/v1/projects?behind=1&limit=1000&period=2025-09&today=2025-10-15');
  assert.ok(r.json.items.length > 0 && r.json.items.every((x) => x.flags.includes('behind')));
  r = await as.anonymous.get('/api/v1/projects?sort=-total&limit=1000');
  const totals = r.json.items.map((x) => x.total ?? -1);
  assert.deepEqual(totals, [...totals].sort((a, b) => b - a));
  for (const [q, field] of [['cluster=steel', 'cluster'], ['area=999999', 'area'], ['phase=done', 'phase'],
    ['department=NOPE', 'department'], ['sort=colour', 'sort'], ['today=2025-13-01', 'today'],
    ['period=soon', 'period'], ['limit=0', 'limit']])
    assertError(await as.anonymous.get(`/api/v1/projects?${q}`), 400, 'invalid', field);
});

test('GET /projects/{code}: plans, milestones, reports and phases; the public sees no names of staff', async () => {
  cover('GET', '/api/v1/projects/{code}');
  const r = await as.anonymous.get(`/api/v1/projects/${FGW}?today=2025-10-15`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.code, FGW);
  assert.deepEqual(r.json.plans.map((p) => p.year), [2025]);
  assert.ok(r.json.milestones.length > 0);
  assert.equal(r.json.reports.length, 8);
  assert.ok(r.json.reports.every((x) => x.actor === null));
  assert.ok(r.json.phases.length >= 1);
  assertError(await as.anonymous.get('/api/v1/projects/NO-SUCH'), 404, 'not_found', 'code');
});

test('GET /projects/summary: by cluster, area, phase, department; the pipeline; 合计 last', async () => {
  cover('GET', '/api/v1/projects/summary');
  const all = (await as.anonymous.get('/api/v1/projects?limit=1000&period=2025-09')).json;
  for (const by of ['cluster', 'area', 'phase', 'department']) {
    const r = await as.anonymous.get(`/api/v1/projects/summary?by=${by}&period=2025-09&today=2025-10-15`);
    assert.equal(r.status, 200, r.text);
    const last = r.json.items.at(-1);
    assert.equal(last.name, '合计');
    assert.equal(last.n, all.total);
    assert.ok(Math.abs(last.done - all.totals.done) < 0.05, `${by}: ${last.done} ≈ ${all.totals.done}`);
    const groups = r.json.items.slice(0, -1);
    assert.equal(groups.reduce((s, g) => s + g.n, 0), last.n, `${by}: the groups add up`);
    assert.equal(groups.reduce((s, g) => s + g.behind, 0), last.behind);
    assert.equal(r.json.time_progress_pct, 75);
  }
  const r = await as.anonymous.get('/api/v1/projects/summary');
  assert.equal(r.json.pipeline.length, 6);
  assert.equal(r.json.pipeline.reduce((s, p) => s + p.n, 0), all.total);
  assertError(await as.anonymous.get('/api/v1/projects/summary?by=colour'), 400, 'invalid', 'by');
});

test('GET /programmes: the renovation programme and its communities', async () => {
  cover('GET', '/api/v1/programmes');
  let r = await as.anonymous.get('/api/v1/programmes');
  assert.equal(r.status, 200, r.text);
  const p = r.json.items.find((x) => x.code === 'OLD-COMM-14');
  assert.equal(p.communities_planned, 566);
  assert.equal(p.households_planned, 212336);
  assert.equal(p.communities, undefined);
  r = await as.anonymous.get('/api/v1/programmes?communities=1');
  const q = r.json.items.find((x) => x.code === 'OLD-COMM-14');
  assert.equal(q.communities.length, q.communities_n);
});

test('POST /projects/{code}/reports as every caller: its department, a leader or admin; the PROJ_INV figure moves', async (t) => {
  cover('POST', '/api/v1/projects/{code}/reports');
  const may = new Set(['clerk', 'leader', 'admin']);
  const months = { clerk: '2025-10', leader: '2025-11', admin: '2025-12' };
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const period = months[who] || '2025-10';
      const before = await project(FGW);
      const n0 = await auditLength();
      const inv0 = await projInv('210781', period);
      const city0 = (await as.anonymous.get(`/api/v1/progress?indicator=PROJ_INV&period=${period}`)).json[0].ytd_value;
      const r = await as[who].post(`/api/v1/projects/${FGW}/reports`, { period, investment: 1.25, progress: 40, note: who });
      if (!may.has(who)) {
        assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
        assert.deepEqual(await project(FGW), before, 'the project is unchanged');
        assert.equal(await auditLength(), n0, 'the audit trail is unchanged');
        return;
      }
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.investment, 1.25);
      const after = await project(FGW);
      const rep = after.reports.find((x) => x.period === period);
      assert.equal(rep.investment, 1.25);
      assert.equal(rep.actor, who);
      assert.ok(await auditLength() > n0, 'the report is audited');
      const inv1 = await projInv('210781', period);
      assert.ok(Math.abs(inv1 - inv0 - 1.25) < 1e-9, `PROJ_INV 210781 ${period}: ${inv0} + 1.25 = ${inv1}`);
      // The public answer is not served stale from the cache.
      const city1 = (await as.anonymous.get(`/api/v1/progress?indicator=PROJ_INV&period=${period}`)).json[0].ytd_value;
      assert.ok(Math.abs(city1 - city0 - 1.25) < 0.011, `the city's 1-${period} PROJ_INV: ${city0} + 1.25 = ${city1}`);
    });
  }
  // Again for the same month: the report is replaced, the figure follows.
  const r = await as.clerk.post(`/api/v1/projects/${FGW}/reports`, { period: '2025-10', investment: 0.5 });
  assert.equal(r.status, 200, r.text);
  assert.equal((await project(FGW)).reports.filter((x) => x.period === '2025-10').length, 1);
  const inv = await as.admin.get('/api/v1/values?indicator=PROJ_INV&area=210781&limit=1000');
  assert.ok(inv.json.items.some((v) => v.period === '2025-10'));
});

test('POST /projects/{code}/reports: bad input is refused naming the field, nothing changes', async () => {
  const before = await project(FGW);
  const n0 = await auditLength();
  const inv0 = await projInv('210781', '2025-08');
  const post = (body, code = FGW) => as.clerk.post(`/api/v1/projects/${code}/reports`, body);
  assertError(await post({ period: '2025-08', investment: -1 }), 400, 'invalid', 'investment');
  assertError(await post({ period: '2025-08', investment: '3' }), 400, 'invalid', 'investment');
  assertError(await post({ period: '2025-08' }), 400, 'invalid', 'investment');
  assertError(await post({ period: '2099-01', investment: 1 }), 400, 'invalid', 'period');
  assertError(await post({ period: '2025', investment: 1 }), 400, 'invalid', 'period');
  assertError(await post({ investment: 1 }), 400, 'invalid', 'period');
  assertError(await post({ period: '2025-08', investment: 1, progress: 150 }), 400, 'invalid', 'progress');
  assertError(await post({ period: '2025-08', investment: 1, note: 5 }), 400, 'invalid', 'note');
  assertError(await post({ period: '2025-08', investment: 1 }, 'NO-SUCH'), 404, 'not_found', 'code');
  // Who may comes before what: another department learns nothing of its body.
  assertError(await as.other.post(`/api/v1/projects/${FGW}/reports`, { period: '2025-08', investment: -1 }), 403, 'forbidden');
  const bad = await fetch(`${srv.url}/api/v1/projects/${FGW}/reports`, {
    method: 'POST', headers: as.clerk.headers, body: '{"period": ',
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(await project(FGW), before);
  assert.equal(await auditLength(), n0);
  assert.equal(await projInv('210781', '2025-08'), inv0);
});

test('POST /projects/{code}/phase: forward with a date, back only with a reason; its department or a leader', async (t) => {
  cover('POST', '/api/v1/projects/{code}/phase');
  const phase = async () => (await project(FGW)).phase;
  assert.equal(await phase(), 'building');
  const n0 = await auditLength();
  // Refused: bad input, and callers who may not.
  assertError(await as.clerk.post(`/api/v1/projects/${FGW}/phase`, { phase: 'finished', date: '2025-11-30' }), 400, 'invalid', 'phase');
  assertError(await as.clerk.post(`/api/v1/projects/${FGW}/phase`, { phase: '竣工', date: '2025-11-31' }), 400, 'invalid', 'date');
  assertError(await as.clerk.post(`/api/v1/projects/${FGW}/phase`, { phase: '竣工' }), 400, 'invalid', 'date');
  assertError(await as.clerk.post(`/api/v1/projects/${FGW}/phase`, { phase: '在建', date: '2025-11-30' }), 409, 'conflict', 'phase');
  assertError(await as.clerk.post('/api/v1/projects/NO-SUCH/phase', { phase: '竣工', date: '2025-11-30' }), 404, 'not_found', 'code');
  for (const who of ['anonymous', 'resident', 'other', 'reviewer']) {
    await t.test(who, async () => {
      const r = await as[who].post(`/api/v1/projects/${FGW}/phase`, { phase: '竣工', date: '2025-11-30' });
      assertError(r, who === 'anonymous' ? 401 : 403);
    });
  }
  assert.equal(await phase(), 'building');
  assert.equal(await auditLength(), n0, 'nothing refused is audited');
  // Forward, by its department.
  let r = await as.clerk.post(`/api/v1/projects/${FGW}/phase`, { phase: '竣工', date: '2025-11-30' });
  assert.equal(r.status, 200, r.text);
  let p = await project(FGW);
  assert.equal(p.phase, 'completed');
  assert.equal(p.actual_finish, '2025-11-30');
  assert.deepEqual(p.phases.at(-1), { from: 'building', to: 'completed', date: '2025-11-30', reason: null, actor: 'clerk', at: p.phases.at(-1).at });
  // Back: not without a reason, nothing changed then.
  const n1 = await auditLength();
  assertError(await as.leader.post(`/api/v1/projects/${FGW}/phase`, { phase: '在建', date: '2025-12-05' }), 400, 'invalid', 'reason');
  assert.equal(await phase(), 'completed');
  assert.equal(await auditLength(), n1);
  r = await as.leader.post(`/api/v1/projects/${FGW}/phase`, { phase: '在建', date: '2025-12-05', reason: '验收未通过' });
  assert.equal(r.status, 200, r.text);
  p = await project(FGW);
  assert.equal(p.phase, 'building');
  assert.equal(p.phases.at(-1).reason, '验收未通过');
  assert.ok(await auditLength() > n1);
  r = await as.admin.post(`/api/v1/projects/${FGW}/phase`, { phase: 'operating', date: '2025-12-20' });
  assert.equal(r.status, 200, r.text);
  assert.equal(await phase(), 'operating');
});

test('PROJ_INV is fed by the reports only: typed through /values or an import it is refused, nothing changes', async () => {
  const n0 = await auditLength();
  const inv0 = await projInv('210781', '2025-08');
  const fig = (value) => ({ figures: [{ indicator: 'PROJ_INV', area: '210781', period: '2025-08', value }] });
  for (const who of ['admin', 'clerk']) {
    const r = await as[who].post('/api/v1/values', fig(99));
    assertError(r, 400, 'invalid', 'indicator');
    assert.match(r.json.error.message, /PROJ_INV 由重点项目月报自动汇总，不能直接填报/);
  }
  assertError(await as.reviewer.post('/api/v1/values/reopen', { ...fig(), reason: '改' }), 400, 'invalid', 'indicator');
  assertError(await as.admin.post('/api/v1/values', fig(null)), 400, 'invalid', 'indicator');
  const res = await fetch(`${srv.url}/api/v1/imports?name=typed.csv`, {
    method: 'POST', headers: as.admin.headers,
    body: 'indicator,area,period,value\nFAI,210781,2025-08,1\nPROJ_INV,210781,2025-08,99\n',
  });
  const body = await res.json();
  assert.equal(res.status, 400, JSON.stringify(body));
  assert.match(body.errors[0], /^typed\.csv:3:1: column "indicator": PROJ_INV 由重点项目月报自动汇总/);
  assert.equal(await projInv('210781', '2025-08'), inv0, 'PROJ_INV as the reports left it');
  assert.equal(await auditLength(), n0, 'nothing refused is audited');
});

test('every /projects and /programmes route of the table is called by a test above', () => {
  const missing = ROUTES.map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !covered.has(k));
  assert.deepEqual(missing, [], 'routes without a test in projects.test.mjs');
});
