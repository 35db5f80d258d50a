// The key-project pipeline's routes (项目为王): the project table with its
// filters and totals, one project, the monitoring summary, programmes, and
// the two writes — a month's report, which moves the PROJ_INV figure, and
// a phase change — as every role, with bad input refused and nothing
// changed.  The last test fails when a /projects or /programmes route of
// the table is called by no test here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, routeTable, assertError, auditLength as auditOf } from './harness.mjs';

// The export has a file of its own, oc4ids.test.mjs, which checks it.
const ROUTES = routeTable().filter((rt) => /^\/api\/v1\/(projects|programmes)/.test(rt.pattern) &&
  rt.pattern !== '/api/v1/projects/export');
const covered = new Set();
const cover = (method, pattern) => covered.add(`${method} ${pattern}`);

let srv;
const as = {};
const CALLERS = ['anonymous', 'resident', 'clerk', 'other', 'reviewer', 'leader', 'admin'];
const FGW = 'JZ-XM-001'; // 国电投40万千瓦风电项目, FGW's, in 凌海市 (210781)
// Notes are written on the server's date: due some days after it.
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

before(async () => {
  srv = await start();
  as.anonymous = srv.anonymous();
  for (const who of CALLERS.slice(1)) as[who] = await srv.login(who);
});
after(async () => { await srv?.stop(); });

const auditLength = () => auditOf(as.leader);

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

// ---- the writes that build the pipeline ------------------------------------

const projectCount = async () => (await as.admin.get('/api/v1/projects?limit=1')).json.total;
const NEW = (who) => `T-NEW-${who}`;

test('POST /projects as every caller: a leader or admin any, a department its own only', async (t) => {
  cover('POST', '/api/v1/projects');
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const n0 = await auditLength();
      const c0 = await projectCount();
      const body = { code: NEW(who), name: `测试项目（${who}）`, cluster: '新能源', type: '揭榜挂帅', area: '210781', total: 5.5, planned_start: '2026-03-01', planned_finish: '2027-06-30', issues: '用地指标待协调', address: '凌海市大有农场', lon: 121.3, lat: 41.1 };
      // The department's own project: FGW for clerk and for the others.
      const r = await as[who].post('/api/v1/projects', who === 'other' ? { ...body, department: 'TJJ' } : body);
      if (['anonymous', 'resident', 'reviewer'].includes(who)) {
        assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
        assert.equal(await projectCount(), c0);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.code, NEW(who));
      const p = await project(NEW(who));
      assert.equal(p.cluster, 'new_energy');
      assert.equal(p.type, 'technology');
      assert.equal(p.type_zh, '科技攻关（揭榜挂帅）');
      assert.equal(p.phase, 'planning');
      assert.equal(p.total, 5.5);
      assert.equal(p.issues, '用地指标待协调');
      assert.equal(p.lat, 41.1);
      assert.equal(p.department, who === 'other' ? 'TJJ' : who === 'clerk' ? 'FGW' : null);
      assert.equal(await projectCount(), c0 + 1);
      assert.ok(await auditLength() > n0, 'audited');
    });
  }
  // A department creates for itself only.
  const n0 = await auditLength();
  assertError(await as.other.post('/api/v1/projects', { code: 'T-X', name: 'x', cluster: 'urban', area: '210781', department: 'FGW' }), 403, 'forbidden', 'department');
  assertError(await as.admin.post('/api/v1/projects', { code: NEW('clerk'), name: 'x', cluster: 'urban', area: '210781' }), 409, 'conflict', 'code');
  assert.equal(await auditLength(), n0);
  assert.equal((await project('T-X')).error?.code, 'not_found');
});

test('POST /projects and /projects/{code}: bad input is refused naming the field, nothing changes', async () => {
  const n0 = await auditLength();
  const c0 = await projectCount();
  const inv0 = await projInv('210781', '2025-08');
  const before = await project(NEW('clerk'));
  const good = { code: 'T-BAD', name: '坏数据', cluster: 'urban', area: '210781' };
  const cases = [
    [{ ...good, cluster: '钢铁' }, 'cluster'],
    [{ ...good, total: -1 }, 'total'],
    [{ ...good, total: '3' }, 'total'],
    [{ ...good, planned_start: '2026-02-30' }, 'planned_start'],
    [{ ...good, planned_start: '2026-06-01', planned_finish: '2026-01-01' }, 'planned_finish'],
    [{ ...good, area: '999999' }, 'area'],
    [{ ...good, department: 'NOPE' }, 'department'],
    [{ ...good, type: 'steel' }, 'type'],
    [{ ...good, lat: 100 }, 'lat'],
    [{ ...good, programme: 'NOPE' }, 'programme'],
    [{ ...good, phase: '动工' }, 'phase'],
    [{ ...good, budget: 1 }, 'budget'],
    [{ ...good, name: undefined }, 'name'],
    [{ ...good, name: 7 }, 'name'],
    [{ ...good, code: undefined }, 'code'],
  ];
  for (const [body, field] of cases) {
    assertError(await as.admin.post('/api/v1/projects', body), 400, 'invalid', field);
    const edit = { ...body, code: undefined, phase: undefined, name: body.name === undefined ? undefined : body.name };
    if (['name', 'code', 'phase'].includes(field)) continue;
    assertError(await as.clerk.post(`/api/v1/projects/${NEW('clerk')}`, edit), 400, 'invalid', field);
  }
  assertError(await as.clerk.post(`/api/v1/projects/${NEW('clerk')}`, { phase: '开工' }), 400, 'invalid', 'phase');
  assertError(await as.clerk.post(`/api/v1/projects/${NEW('clerk')}`, { code: 'OTHER' }), 400, 'invalid', 'code');
  assertError(await as.clerk.post(`/api/v1/projects/${NEW('clerk')}`, { name: '' }), 400, 'invalid', 'name');
  assertError(await as.clerk.post(`/api/v1/projects/${NEW('clerk')}`, { department: 'TJJ' }), 403, 'forbidden', 'department');
  const bad = await fetch(`${srv.url}/api/v1/projects`, { method: 'POST', headers: as.admin.headers, body: '[1, 2' });
  assert.equal(bad.status, 400);
  assert.equal(await projectCount(), c0);
  assert.deepEqual(await project(NEW('clerk')), before);
  assert.equal(await auditLength(), n0);
  assert.equal(await projInv('210781', '2025-08'), inv0);
});

test('POST /projects/{code} as every caller: its department, a leader or admin edit the fields', async (t) => {
  cover('POST', '/api/v1/projects/{code}');
  const may = new Set(['clerk', 'leader', 'admin']);
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const before = await project(NEW('clerk'));
      const n0 = await auditLength();
      const r = await as[who].post(`/api/v1/projects/${NEW('clerk')}`, { issues: `需协调：${who}`, leader: '分管副市长', total: 6 });
      if (!may.has(who)) {
        assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
        assert.deepEqual(await project(NEW('clerk')), before);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.issues, `需协调：${who}`);
      const p = await project(NEW('clerk'));
      assert.equal(p.issues, `需协调：${who}`);
      assert.equal(p.leader, '分管副市长');
      assert.equal(p.total, 6);
      assert.equal(p.name, before.name, 'what is not sent stays');
      assert.equal(p.phase, before.phase);
      assert.ok(await auditLength() > n0);
    });
  }
  // A leader moves it to another department; null clears a field.
  let r = await as.leader.post(`/api/v1/projects/${NEW('clerk')}`, { department: 'TJJ', issues: null });
  assert.equal(r.status, 200, r.text);
  assert.equal((await project(NEW('clerk'))).department, 'TJJ');
  assert.equal((await project(NEW('clerk'))).issues, null);
  assertError(await as.clerk.post(`/api/v1/projects/${NEW('clerk')}`, { total: 7 }), 403, 'forbidden');
  r = await as.leader.post(`/api/v1/projects/${NEW('clerk')}`, { department: 'FGW' });
  assert.equal(r.status, 200, r.text);
  assertError(await as.clerk.post('/api/v1/projects/NO-SUCH', { total: 1 }), 404, 'not_found', 'code');
});

test('POST /projects/{code}/plans and /milestones as every caller; bad input refused', async (t) => {
  cover('POST', '/api/v1/projects/{code}/plans');
  cover('POST', '/api/v1/projects/{code}/milestones');
  const may = new Set(['clerk', 'leader', 'admin']);
  const code = NEW('clerk');
  for (const [k, who] of CALLERS.entries()) {
    await t.test(who, async () => {
      const before = await project(code);
      const n0 = await auditLength();
      const r1 = await as[who].post(`/api/v1/projects/${code}/plans`, { year: 2026 + k, investment: 1.5 + k });
      const r2 = await as[who].post(`/api/v1/projects/${code}/milestones`, { name: `节点${who}`, due: '2027-09-30' });
      if (!may.has(who)) {
        for (const r of [r1, r2]) assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
        assert.deepEqual(await project(code), before);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r1.status, 200, r1.text);
      assert.equal(r2.status, 200, r2.text);
      const p = await project(code);
      assert.deepEqual(p.plans.find((x) => x.year === 2026 + k), { year: 2026 + k, amount: 1.5 + k, sample: false });
      assert.deepEqual(p.milestones.find((x) => x.name === `节点${who}`), { name: `节点${who}`, due: '2027-09-30', done: null, overdue: false, sample: false });
      assert.equal(await auditLength(), n0 + 2);
    });
  }
  // Marked done by name, the due date kept; a year's plan replaced.
  let r = await as.clerk.post(`/api/v1/projects/${code}/milestones`, { name: '节点clerk', done: '2027-09-15' });
  assert.equal(r.status, 200, r.text);
  r = await as.clerk.post(`/api/v1/projects/${code}/plans`, { year: 2028, investment: 2 });
  assert.equal(r.status, 200, r.text);
  let p = await project(code);
  assert.deepEqual(p.milestones.find((x) => x.name === '节点clerk'), { name: '节点clerk', due: '2027-09-30', done: '2027-09-15', overdue: false, sample: false });
  assert.equal(p.plans.filter((x) => x.year === 2028).length, 1);
  assert.equal(p.plans.find((x) => x.year === 2028).amount, 2);
  // Bad input, nothing changed.
  const n0 = await auditLength();
  const plan = (b) => as.clerk.post(`/api/v1/projects/${code}/plans`, b);
  const ms = (b) => as.clerk.post(`/api/v1/projects/${code}/milestones`, b);
  assertError(await plan({ year: 2026, investment: -1 }), 400, 'invalid', 'investment');
  assertError(await plan({ year: 2026, investment: '1' }), 400, 'invalid', 'investment');
  assertError(await plan({ year: 2026 }), 400, 'invalid', 'investment');
  assertError(await plan({ year: '2026', investment: 1 }), 400, 'invalid', 'year');
  assertError(await plan({ year: 1800, investment: 1 }), 400, 'invalid', 'year');
  assertError(await plan({ year: 2026, investment: 1, month: 3 }), 400, 'invalid', 'month');
  assertError(await ms({ name: '新节点', due: '2026-13-01' }), 400, 'invalid', 'due');
  assertError(await ms({ name: '新节点' }), 400, 'invalid', 'due');
  assertError(await ms({ due: '2026-10-01' }), 400, 'invalid', 'name');
  assertError(await ms({ name: '节点clerk', done: 'yesterday' }), 400, 'invalid', 'done');
  assertError(await as.other.post(`/api/v1/projects/${code}/plans`, { year: 2026, investment: -1 }), 403, 'forbidden');
  assertError(await as.clerk.post('/api/v1/projects/NO-SUCH/milestones', { name: 'x', due: '2026-10-01' }), 404, 'not_found', 'code');
  assert.deepEqual(await project(code), p);
  assert.equal(await auditLength(), n0);
  p = null;
});

test('POST /programmes and /programmes/{code}/communities: leaders, and the department of its projects', async (t) => {
  cover('POST', '/api/v1/programmes');
  cover('POST', '/api/v1/programmes/{code}/communities');
  const programme = async (code) => (await as.admin.get('/api/v1/programmes?communities=1&limit=1000')).json.items.find((x) => x.code === code);
  // A new programme: leaders and admin only.
  for (const who of CALLERS) {
    await t.test(`create as ${who}`, async () => {
      const n0 = await auditLength();
      const r = await as[who].post('/api/v1/programmes', { code: `PG-${who}`, name: `测试计划${who}`, first_year: 2026, last_year: 2027, communities: 10, buildings: 80, households: 3000, floor_area: 12.5 });
      if (!['leader', 'admin'].includes(who)) {
        assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
        assert.equal(await programme(`PG-${who}`), undefined);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r.status, 201, r.text);
      const g = await programme(`PG-${who}`);
      assert.equal(g.households_planned, 3000);
      assert.equal(g.floor_area, 12.5);
      assert.equal(await auditLength(), n0 + 1);
    });
  }
  // FGW's project joins PG-leader (a leader's decision): FGW's clerk may
  // now write it.
  assertError(await as.clerk.post('/api/v1/programmes/PG-leader/communities', { name: '甲小区' }), 403, 'forbidden');
  assertError(await as.clerk.post(`/api/v1/projects/${NEW('clerk')}`, { programme: 'PG-leader' }), 403, 'forbidden', 'programme');
  assertError(await as.clerk.post('/api/v1/projects', { code: 'T-PG', name: 'x', cluster: 'urban', area: '210781', programme: 'PG-leader' }), 403, 'forbidden', 'programme');
  assert.equal((await project(NEW('clerk'))).programme, null);
  let r = await as.leader.post(`/api/v1/projects/${NEW('clerk')}`, { programme: 'PG-leader' });
  assert.equal(r.status, 200, r.text);
  for (const who of CALLERS) {
    await t.test(`community as ${who}`, async () => {
      const n0 = await auditLength();
      const before = await programme('PG-leader');
      const r1 = await as[who].post('/api/v1/programmes/PG-leader/communities', { name: `小区${who}`, area: '210781', buildings: 8, households: 320, floor_area: 2.4, started: '2026-04-01', progress: 30 });
      const r2 = await as[who].post('/api/v1/programmes', { code: 'PG-leader', households: 3100 });
      if (!['clerk', 'leader', 'admin'].includes(who)) {
        for (const x of [r1, r2]) assertError(x, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
        assert.deepEqual(await programme('PG-leader'), before);
        assert.equal(await auditLength(), n0);
        return;
      }
      assert.equal(r1.status, 200, r1.text);
      assert.equal(r2.status, 200, r2.text);
      const g = await programme('PG-leader');
      assert.deepEqual(g.communities.find((c) => c.name === `小区${who}`), { name: `小区${who}`, area: '210781', buildings: 8, households: 320, floor_area: 2.4, started: '2026-04-01', finished: null, progress: 30, sample: false });
      assert.equal(g.households_planned, 3100);
      assert.equal(g.name, '测试计划leader', 'what is not sent stays');
    });
  }
  // Finished, by name: the rest kept.
  r = await as.clerk.post('/api/v1/programmes/PG-leader/communities', { name: '小区clerk', finished: '2026-10-30', progress: 100 });
  assert.equal(r.status, 200, r.text);
  let g = await programme('PG-leader');
  assert.equal(g.finished, 1);
  assert.equal(g.communities.find((c) => c.name === '小区clerk').households, 320);
  // Bad input, nothing changed.
  const n0 = await auditLength();
  const com = (b) => as.clerk.post('/api/v1/programmes/PG-leader/communities', b);
  assertError(await com({ name: '乙小区', progress: 150 }), 400, 'invalid', 'progress');
  assertError(await com({ name: '乙小区', area: '999999' }), 400, 'invalid', 'area');
  assertError(await com({ name: '乙小区', started: '2026-02-29' }), 400, 'invalid', 'started');
  assertError(await com({ name: '乙小区', started: '2026-05-01', finished: '2026-04-01' }), 400, 'invalid', 'finished');
  assertError(await com({ name: '乙小区', finished: '2026-04-01' }), 400, 'invalid', 'started');
  assertError(await com({ name: '乙小区', households: -5 }), 400, 'invalid', 'households');
  assertError(await com({ name: '乙小区', buildings: 'many' }), 400, 'invalid', 'buildings');
  assertError(await com({ area: '210781' }), 400, 'invalid', 'name');
  const pg = (b) => as.leader.post('/api/v1/programmes', b);
  assertError(await pg({ code: 'PG-leader', first_year: 2028 }), 400, 'invalid', 'last_year');
  assertError(await pg({ code: 'PG-leader', households: -1 }), 400, 'invalid', 'households');
  assertError(await pg({ code: 'PG-new', name: '缺年份' }), 400, 'invalid', 'first_year');
  assertError(await pg({ name: '无代码' }), 400, 'invalid', 'code');
  assertError(await as.clerk.post('/api/v1/programmes', { code: 'PG-clerk', name: 'x', first_year: 2026, last_year: 2027 }), 403, 'forbidden');
  assertError(await as.clerk.post('/api/v1/programmes/NO-SUCH/communities', { name: 'x' }), 404, 'not_found', 'code');
  assert.deepEqual(await programme('PG-leader'), g);
  assert.equal(await programme('PG-new'), undefined);
  assert.equal(await auditLength(), n0);
  g = null;
});

test('POST /projects/{code}/notes and /notes/{id}/answer: leaders write, its department (or admin) answers once', async (t) => {
  cover('POST', '/api/v1/projects/{code}/notes');
  cover('POST', '/api/v1/projects/{code}/notes/{id}/answer');
  cover('GET', '/api/v1/projects/notes');
  const notes = async () => (await project(FGW)).notes;
  const refused = (r, who) => assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
  for (const who of ['anonymous', 'resident', 'clerk', 'other', 'reviewer']) {
    await t.test(`note as ${who}`, async () => {
      const n0 = await auditLength();
      refused(await as[who].post(`/api/v1/projects/${FGW}/notes`, { text: '请加快征地', due: day(7) }), who);
      assert.deepEqual(await notes(), []);
      assert.equal(await auditLength(), n0);
    });
  }
  // Bad input names its field; nothing is written.
  const n0 = await auditLength();
  const note = (body, code = FGW) => as.leader.post(`/api/v1/projects/${code}/notes`, body);
  assertError(await note({ text: '', due: day(7) }), 400, 'invalid', 'text');
  assertError(await note({ due: day(7) }), 400, 'invalid', 'text');
  assertError(await note({ text: '请加快征地', due: day(-3) }), 400, 'invalid', 'due');
  assertError(await note({ text: '请加快征地', due: '2026-02-30' }), 400, 'invalid', 'due');
  assertError(await note({ text: '请加快征地' }), 400, 'invalid', 'due');
  assertError(await note({ text: 'x', due: day(7) }, 'NO-SUCH'), 404, 'not_found', 'code');
  assert.deepEqual(await notes(), []);
  assert.equal(await auditLength(), n0);
  let r = await note({ text: '请说明征地滞后原因', due: day(7) });
  assert.equal(r.status, 200, r.text);
  const id = r.json.id;
  r = await as.admin.post(`/api/v1/projects/${FGW}/notes`, { text: '督查室：月底前报送', due: day(0) });
  assert.equal(r.status, 200, r.text);
  const id2 = r.json.id;
  assert.equal(await auditLength(), n0 + 2, 'each note is audited');
  let x = await project(FGW);
  assert.deepEqual(x.notes.map((y) => [y.id, y.author, y.due, y.answer, y.overdue]),
    [[id, 'leader', day(7), null, false], [id2, 'admin', day(0), null, false]]);
  assert.equal(x.notes_n, 2);
  // The public: how many, not what.
  const pub = (await as.anonymous.get(`/api/v1/projects/${FGW}`)).json;
  assert.equal(pub.notes, undefined);
  assert.equal(pub.notes_n, 2);
  assert.doesNotMatch(JSON.stringify(pub), /征地滞后/);
  // Overdue once the due day has passed and no answer came.
  const later = (await as.clerk.get(`/api/v1/projects/${FGW}?today=${day(3)}`)).json;
  assert.deepEqual(later.notes.map((y) => y.overdue), [false, true]);
  // The to-do list: the department's own open notes; another's none.
  const open = (who) => as[who].get('/api/v1/projects/notes?open=1');
  r = await open('clerk');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((y) => [y.id, y.project.code]), [[id, FGW], [id2, FGW]]);
  assert.deepEqual((await open('other')).json.items, []);
  assert.equal((await open('leader')).json.items.length, 2);
  refused(await as.anonymous.get('/api/v1/projects/notes'), 'anonymous');
  refused(await as.resident.get('/api/v1/projects/notes'), 'resident');
  // Answers: its department or admin; not a leader, not another department.
  for (const who of ['anonymous', 'resident', 'other', 'reviewer', 'leader']) {
    await t.test(`answer as ${who}`, async () => {
      const a0 = await auditLength();
      refused(await as[who].post(`/api/v1/projects/${FGW}/notes/${id}/answer`, { answer: '已整改' }), who);
      assert.ok((await notes()).every((y) => y.answer === null));
      assert.equal(await auditLength(), a0);
    });
  }
  const a0 = await auditLength();
  const answer = (body, nid = id, code = FGW) => as.clerk.post(`/api/v1/projects/${code}/notes/${nid}/answer`, body);
  assertError(await answer({ answer: '' }), 400, 'invalid', 'answer');
  assertError(await answer({}), 400, 'invalid', 'answer');
  assertError(await answer({ answer: 'x' }, 99999), 404, 'not_found', 'id');
  assertError(await answer({ answer: 'x' }, 'abc'), 404, 'not_found', 'id');
  assertError(await answer({ answer: 'x' }, id, 'NO-SUCH'), 404, 'not_found', 'code');
  const mine = (await as.leader.get('/api/v1/projects?department=FGW&limit=1000')).json.items.map((y) => y.code);
  const otherOfFgw = mine.find((c) => c !== FGW);
  if (otherOfFgw) assertError(await answer({ answer: 'x' }, id, otherOfFgw), 404, 'not_found', 'id');
  assert.ok((await notes()).every((y) => y.answer === null));
  assert.equal(await auditLength(), a0);
  r = await answer({ answer: '征地已完成，月底开工' });
  assert.equal(r.status, 200, r.text);
  x = await project(FGW);
  const n1 = x.notes.find((y) => y.id === id);
  assert.deepEqual([n1.answer, n1.answered_by, n1.answered_on], ['征地已完成，月底开工', 'clerk', day(0)]);
  assert.equal(await auditLength(), a0 + 1, 'the answer is audited');
  // Once: a second answer is refused, the first stays.
  assertError(await answer({ answer: '再答' }), 409, 'conflict', 'answer');
  assert.equal((await project(FGW)).notes.find((y) => y.id === id).answer, '征地已完成，月底开工');
  assert.equal(await auditLength(), a0 + 1);
  assert.deepEqual((await open('clerk')).json.items.map((y) => y.id), [id2]);
  assert.equal((await as.clerk.get('/api/v1/projects/notes')).json.items.length, 2);
  // An admin answers too.
  r = await as.admin.post(`/api/v1/projects/${FGW}/notes/${id2}/answer`, { answer: '已报送' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await open('clerk')).json.items, []);
});

test('every /projects and /programmes route of the table is called by a test above', () => {
  const missing = ROUTES.map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !covered.has(k));
  assert.deepEqual(missing, [], 'routes without a test in projects.test.mjs');
});
