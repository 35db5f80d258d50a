// The role matrix: every route of the table in src/api/routes.c called by
// every role and anonymously.  An allowed call succeeds; a refused one is
// 401 (anonymous) or 403 (signed in), and a refused write changes neither
// the figure nor the audit trail.  The figure routes are checked against
// the workflow's rules (workflow.h), with its department scoping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, routeTable, ACCOUNTS, auditLength as auditOf } from './harness.mjs';

const ROUTES = routeTable();
const LEVEL = { public: 0, department: 1, reviewer: 2, leader: 3, admin: 4 };
// The callers: anonymous, then one signed-in account per role.
const CALLERS = ['anonymous', 'resident', 'clerk', 'other', 'reviewer', 'leader', 'admin'];
// The routes that answer with a stream: read up to their first message.
const STREAMS = new Set(['/api/v1/events']);
const levelOf = (who) => (who === 'anonymous' ? LEVEL.public : LEVEL[ACCOUNTS[who][0]]);

let srv;
const as = {}; // caller -> client
let TJJ; // an indicator of department TJJ with figures of its own

before(async () => {
  srv = await start();
  as.anonymous = srv.anonymous();
  for (const who of CALLERS.slice(1)) as[who] = await srv.login(who);
  const inds = (await as.anonymous.get('/api/v1/indicators?limit=1000')).json.items;
  assert.equal(inds.find((d) => d.code === 'FAI').department, 'FGW');
  const tjj = inds.filter((d) => d.department === 'TJJ' && !d.formula);
  TJJ = tjj.find((d) => d.frequency === 'month') || tjj.find((d) => d.frequency === 'quarter') || tjj[0];
  assert.ok(TJJ, 'the demo has an indicator of TJJ');
  const q = await as.anonymous.post('/api/v1/requests', { service: 'heating', description: '暖气不热 (样例数据)',
    address: '锦州市古塔区' });
  assert.equal(q.status, 201, q.text);
  READS['/api/v1/requests/{id}'][1] = `/api/v1/requests/${q.json.id}`;
  READS['/open311/v2/requests/{request_file}'][1] = `/open311/v2/requests/${q.json.id}.json`;
  READS['/api/v1/requests/track/{token}'][1] = `/api/v1/requests/track/${q.json.token}`;
  READS['/open311/v2/tokens/{token_file}'][1] = `/open311/v2/tokens/${q.json.token}.json`;
});
after(async () => { await srv?.stop(); });

// A fresh figure key for indicator d each time: periods from 2026 on.
const used = new Map();
function fresh(d) {
  const n = used.get(d.code) || 0;
  used.set(d.code, n + 1);
  const area = '210726';
  if (d.frequency === 'month') return [d.code, area, `${2026 + Math.floor(n / 12)}-${String(n % 12 + 1).padStart(2, '0')}`];
  if (d.frequency === 'quarter') return [d.code, area, `${2026 + Math.floor(n / 4)}-Q${n % 4 + 1}`];
  return [d.code, area, `${2026 + n}`];
}
const one = ([indicator, area, period], extra = {}) => ({ figures: [{ indicator, area, period, ...extra }] });

const auditLength = () => auditOf(as.leader);

async function figure([ind, area, period]) {
  const r = await as.admin.get(`/api/v1/values?indicator=${ind}&area=${area}&limit=1000`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((v) => v.period === period);
}

// Brings a fresh figure to state with admin, who may take every step.
async function prepare(key, state) {
  const steps = { none: [], draft: ['enter'], submitted: ['enter', 'submit'], approved: ['enter', 'submit', 'approve'] }[state];
  for (const step of steps) {
    const r = await as.admin.post(step === 'enter' ? '/api/v1/values' : `/api/v1/values/${step}`,
      one(key, step === 'enter' ? { value: 7.25 } : {}));
    assert.equal(r.status, 200, `prepare ${key} ${step}: ${r.text}`);
  }
  if (state !== 'none') assert.equal((await figure(key)).state, state);
}

// The workflow (workflow.h): who may take each step on a figure of a
// department.  Reviewer and leader are bound to no department or area.
const STEPS = {
  enter: { from: 'none', to: 'draft', may: (who, dept) => who === 'admin' || deptOf(who) === dept },
  submit: { from: 'draft', to: 'submitted', may: (who, dept) => who === 'admin' || deptOf(who) === dept },
  approve: { from: 'submitted', to: 'approved', may: (who) => ['reviewer', 'admin'].includes(who) },
  return: { from: 'submitted', to: 'returned', reason: true, may: (who) => ['reviewer', 'admin'].includes(who) },
  reopen: { from: 'approved', to: 'draft', reason: true, may: (who) => ['reviewer', 'leader', 'admin'].includes(who) },
};
function deptOf(who) {
  return who !== 'anonymous' && ACCOUNTS[who][0] === 'department' ? ACCOUNTS[who][1] : null;
}

// The policy: the least role of each read, written here on its own so
// that a change to the table's roles fails until this is changed too; and
// the call that exercises it.  The figure routes are the workflow cells
// below, sign-in and sign-out have tests of their own.
const READS = {
  '/healthz': ['public', '/healthz'],
  '/metrics': ['public', '/metrics'],
  '/api/v1/openapi.json': ['public', '/api/v1/openapi.json'],
  '/api/v1/me': ['public', '/api/v1/me'],
  '/api/v1/events': ['public', '/api/v1/events'],
  '/api/v1/areas': ['public', '/api/v1/areas?limit=3'],
  '/api/v1/departments': ['public', '/api/v1/departments?limit=3'],
  '/api/v1/indicators': ['public', '/api/v1/indicators?limit=3'],
  '/api/v1/progress': ['public', '/api/v1/progress?indicator=FAI&period=2025-09'],
  '/api/v1/growth': ['public', '/api/v1/growth?indicator=FAI&period=2025-09'],
  '/api/v1/rank': ['public', '/api/v1/rank?period=2025-09'],
  '/api/v1/series': ['public', '/api/v1/series?indicator=FAI&from=2025-01&to=2025-09'],
  '/api/v1/pillars': ['public', '/api/v1/pillars?period=2025-09'],
  '/api/v1/compare': ['public', '/api/v1/compare?indicator=FAI&period=2025-09'],
  '/api/v1/brief': ['public', '/api/v1/brief?period=2025-09'],
  '/api/v1/check': ['department', '/api/v1/check?period=2025-09'],
  '/api/v1/reporting': ['department', '/api/v1/reporting?period=2025-09'],
  '/api/v1/values': ['department', '/api/v1/values?indicator=FAI&area=210726&limit=5'],
  '/api/v1/values/history': ['department', '/api/v1/values/history?indicator=FAI&area=210726&period=2025-09'],
  '/api/v1/audit': ['leader', '/api/v1/audit?limit=5'],
  '/api/v1/targets': ['public', '/api/v1/targets?indicator=FAI&limit=3'],
  '/api/v1/benchmarks': ['public', '/api/v1/benchmarks?indicator=FAI&limit=3'],
  '/api/v1/exports/{kind}': ['leader', '/api/v1/exports/departments'],
  '/api/v1/users': ['admin', '/api/v1/users?limit=3'],
  // The pipeline and the task lists are public (政务公开); their writes
  // are checked by role and department in projects.test.mjs and
  // tasks.test.mjs.
  '/api/v1/projects': ['public', '/api/v1/projects?limit=3'],
  '/api/v1/projects/summary': ['public', '/api/v1/projects/summary'],
  '/api/v1/projects/{code}': ['public', '/api/v1/projects/JZ-XM-001'],
  '/api/v1/projects/export': ['public', '/api/v1/projects/export?format=csv'],
  '/api/v1/projects/notes': ['department', '/api/v1/projects/notes?open=1'],
  '/api/v1/programmes': ['public', '/api/v1/programmes'],
  '/api/v1/task-lists': ['public', '/api/v1/task-lists'],
  '/api/v1/tasks': ['public', '/api/v1/tasks?limit=3'],
  '/api/v1/tasks/summary': ['public', '/api/v1/tasks/summary'],
  '/api/v1/tasks/{code}': ['public', '/api/v1/tasks/2026-LWLB-03'],
  '/api/v1/tasks/notes.csv': ['leader', '/api/v1/tasks/notes.csv'],
  // The working-day calendar: the notices are public; its write is the
  // admin's, checked in calendar.test.mjs.
  '/api/v1/holidays': ['public', '/api/v1/holidays?year=2026'],
  // Open311's discovery and service list are for any 311 app.
  '/open311/v2/services.{format}': ['public', '/open311/v2/services.json'],
  '/open311/v2/discovery.{format}': ['public', '/open311/v2/discovery.json'],
  // The residents' requests: the catalogue, the rates (city-wide), a
  // request's public fields and its follow page are public; the queue is
  // the staff's.  A request, its id and token, is made in before(); the
  // writes are checked step by step in requests.test.mjs.
  '/api/v1/services': ['public', '/api/v1/services'],
  '/api/v1/requests': ['department', '/api/v1/requests?limit=3'],
  '/api/v1/requests/stats': ['public', '/api/v1/requests/stats'],
  '/api/v1/requests/settings': ['admin', '/api/v1/requests/settings'],
  '/api/v1/requests/{id}': ['public', null],
  '/api/v1/requests/track/{token}': ['public', null],
  '/open311/v2/services/{service_file}': ['public', '/open311/v2/services/heating.json'],
  '/open311/v2/requests.{format}': ['public', '/open311/v2/requests.json'],
  '/open311/v2/requests/{request_file}': ['public', null],
  '/open311/v2/tokens/{token_file}': ['public', null],
};
// The writes: anyone signs in; the figure routes let a department in, and
// the workflow decides the rest.
const WRITES = {
  '/api/v1/imports': 'admin',
  '/api/v1/holidays': 'admin',
  '/api/v1/users': 'admin',
  '/api/v1/users/{user}/{action}': 'admin',
  '/api/v1/login': 'public',
  '/api/v1/values': 'department',
  '/api/v1/values/{step}': 'department',
  '/api/v1/projects/{code}/reports': 'department',
  '/api/v1/projects/{code}/phase': 'department',
  '/api/v1/tasks/{code}/reports': 'department',
  '/api/v1/tasks/{code}/status': 'department',
  '/api/v1/tasks/{code}/notes': 'leader',
  '/api/v1/tasks/{code}/notes/{id}/answer': 'department',
  '/api/v1/projects/{code}/notes': 'leader',
  '/api/v1/projects/{code}/notes/{id}/answer': 'department',
  '/api/v1/projects': 'department',
  '/api/v1/projects/{code}': 'department',
  '/api/v1/projects/{code}/plans': 'department',
  '/api/v1/projects/{code}/milestones': 'department',
  '/api/v1/programmes': 'department',
  '/api/v1/programmes/{code}/communities': 'department',
  '/api/v1/task-lists': 'leader',
  '/api/v1/tasks': 'leader',
  '/api/v1/tasks/{code}': 'department',
  '/api/v1/tasks/{code}/milestones': 'department',
  '/api/v1/services': 'admin',
  '/api/v1/requests': 'public',
  '/api/v1/requests/dispatch': 'reviewer',
  '/api/v1/requests/settings': 'admin',
  '/api/v1/requests/{id}/{step}': 'department',
  '/open311/v2/requests.{format}': 'public',
};

function refusedStatus(r, who, what) {
  const want = who === 'anonymous' ? 401 : 403;
  assert.equal(r.status, want, `${who} ${what}: expected ${want}, got ${r.status} ${r.text}`);
  assert.equal(r.json?.error?.code, who === 'anonymous' ? 'unauthorized' : 'forbidden', r.text);
  assert.doesNotMatch(r.json.error.message, /CSRF/, 'refused for the role, not for a missing CSRF token');
}

function allowedStatus(r, who, what) {
  assert.ok(r.status !== 401 && r.status !== 403, `${who} ${what}: expected allowed, got ${r.status} ${r.text}`);
  assert.equal(r.status, 200, `${who} ${what}: ${r.text}`);
}

// Every route of the table has its cells, with the least role the policy
// gives it; a new route, or a role changed on one side only, fails here.
test('every route of the table has a place in the matrix, with the policy\'s role', () => {
  const policy = new Map([...Object.entries(READS).map(([p, [role]]) => [`GET ${p}`, role]),
    ...Object.entries(WRITES).map(([p, role]) => [`POST ${p}`, role])]);
  const known = new Set([...policy.keys(), 'POST /api/v1/logout']);
  const missing = ROUTES.map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !known.has(k));
  assert.deepEqual(missing, [], 'routes the matrix does not call');
  for (const rt of ROUTES) {
    const k = `${rt.method} ${rt.pattern}`;
    if (policy.has(k)) assert.equal(rt.role, policy.get(k), `${k}: the table's least role is the policy's`);
  }
});

for (const [pattern, [role]] of Object.entries(READS)) {
  test(`GET ${pattern} (least role ${role}) as every caller`, async (t) => {
    const path = READS[pattern][1]; // some are known only once before() ran
    for (const who of CALLERS) {
      await t.test(who, async () => {
        const r = await (STREAMS.has(pattern) ? as[who].peek(path) : as[who].get(path));
        if (levelOf(who) >= LEVEL[role]) allowedStatus(r, who, `GET ${path}`);
        else refusedStatus(r, who, `GET ${path}`);
      });
    }
  });
}

test('POST /api/v1/login as every caller: anyone may sign in', async (t) => {
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const name = who === 'anonymous' ? 'resident' : who;
      const r = await as[who].post('/api/v1/login', { name, password: ACCOUNTS[name][2] });
      allowedStatus(r, who, 'POST /api/v1/login');
      assert.equal(r.json.user.name, name);
    });
  }
});

// The table lets only department and up sign out; but every signed-in
// account, a resident's too, must be able to end its own session.
test('POST /api/v1/logout as every caller: any signed-in account may sign out', async (t) => {
  for (const who of CALLERS) {
    await t.test(who, async () => {
      if (who === 'anonymous') {
        refusedStatus(await as.anonymous.post('/api/v1/logout'), who, 'POST /api/v1/logout');
        return;
      }
      const c = await srv.login(who);
      const r = await c.post('/api/v1/logout');
      allowedStatus(r, who, 'POST /api/v1/logout');
      assert.equal((await c.get('/api/v1/me')).json.user.role, 'public', 'the session is over');
    });
  }
});

// The figure routes: each step as every caller, on a figure in the state
// the step starts from, of FGW's FAI and of a TJJ indicator.
for (const [step, rule] of Object.entries(STEPS)) {
  for (const indicator of ['FAI', 'TJJ']) {
    if (indicator === 'TJJ' && !['enter', 'submit'].includes(step)) continue;
    const path = step === 'enter' ? '/api/v1/values' : `/api/v1/values/${step}`;
    test(`POST ${path} on a figure of ${indicator === 'FAI' ? 'FGW (FAI)' : 'TJJ'} as every caller`, async (t) => {
      const d = indicator === 'FAI' ? { code: 'FAI', frequency: 'month' } : TJJ;
      const dept = indicator === 'FAI' ? 'FGW' : 'TJJ';
      for (const who of CALLERS) {
        await t.test(who, async () => {
          const key = fresh(d);
          await prepare(key, rule.from);
          const body = { ...one(key, step === 'enter' ? { value: 3.5 } : {}), ...(rule.reason ? { reason: 'matrix' } : {}) };
          const before = await figure(key);
          const n0 = await auditLength();
          const r = await as[who].post(path, body);
          if (rule.may(who, dept)) {
            allowedStatus(r, who, `POST ${path} ${key.join(' ')}`);
            assert.deepEqual(r.json, { done: 1 });
            assert.equal((await figure(key)).state, rule.to);
            assert.equal(await auditLength(), n0 + 1, 'the step is audited once');
          } else {
            refusedStatus(r, who, `POST ${path} ${key.join(' ')}`);
            assert.deepEqual(await figure(key), before, 'the figure is unchanged');
            assert.equal(await auditLength(), n0, 'the audit trail is unchanged');
          }
        });
      }
    });
  }
}

// ---- the scoping, spelled out ----------------------------------------------

test('clerk (FGW) may enter FAI but not a TJJ figure; other (TJJ) the reverse', async () => {
  const fai = fresh({ code: 'FAI', frequency: 'month' });
  const tjj = fresh(TJJ);
  const n0 = await auditLength();
  let r = await as.clerk.post('/api/v1/values', one(tjj, { value: 1 }));
  refusedStatus(r, 'clerk', `enter ${tjj.join(' ')}`);
  assert.match(r.json.error.message, new RegExp(TJJ.code));
  r = await as.other.post('/api/v1/values', one(fai, { value: 1 }));
  refusedStatus(r, 'other', `enter ${fai.join(' ')}`);
  assert.equal(await figure(fai), undefined);
  assert.equal(await figure(tjj), undefined);
  assert.equal(await auditLength(), n0);
  allowedStatus(await as.clerk.post('/api/v1/values', one(fai, { value: 1 })), 'clerk', 'enter FAI');
  allowedStatus(await as.other.post('/api/v1/values', one(tjj, { value: 2 })), 'other', `enter ${TJJ.code}`);
  assert.equal((await figure(fai)).value, 1);
  assert.equal((await figure(tjj)).value, 2);
  // Each may submit its own, not the other's.
  refusedStatus(await as.other.post('/api/v1/values/submit', one(fai)), 'other', 'submit FAI');
  refusedStatus(await as.clerk.post('/api/v1/values/submit', one(tjj)), 'clerk', `submit ${TJJ.code}`);
  allowedStatus(await as.clerk.post('/api/v1/values/submit', one(fai)), 'clerk', 'submit FAI');
  allowedStatus(await as.other.post('/api/v1/values/submit', one(tjj)), 'other', `submit ${TJJ.code}`);
  assert.equal((await figure(fai)).state, 'submitted');
  assert.equal((await figure(tjj)).state, 'submitted');
  // A batch mixing both is refused at the other department's figure.
  const f2 = fresh({ code: 'FAI', frequency: 'month' }), t2 = fresh(TJJ);
  r = await as.clerk.post('/api/v1/values', {
    figures: [{ indicator: f2[0], area: f2[1], period: f2[2], value: 5 },
      { indicator: t2[0], area: t2[1], period: t2[2], value: 6 }],
  });
  assert.equal(r.status, 403, r.text);
  assert.equal(await figure(t2), undefined);
});

test('reviewer approves submitted figures; a clerk may not approve its own', async () => {
  const key = fresh({ code: 'FAI', frequency: 'month' });
  allowedStatus(await as.clerk.post('/api/v1/values', one(key, { value: 9 })), 'clerk', 'enter');
  allowedStatus(await as.clerk.post('/api/v1/values/submit', one(key)), 'clerk', 'submit');
  refusedStatus(await as.clerk.post('/api/v1/values/approve', one(key)), 'clerk', 'approve');
  refusedStatus(await as.reviewer.post('/api/v1/values', one(key, { value: 10 })), 'reviewer', 'enter');
  allowedStatus(await as.reviewer.post('/api/v1/values/approve', one(key)), 'reviewer', 'approve');
  assert.equal((await figure(key)).state, 'approved');
  assert.equal((await figure(key)).value, 9);
});

test('leader may reopen an approved figure but not approve one', async () => {
  const key = fresh({ code: 'FAI', frequency: 'month' });
  await prepare(key, 'submitted');
  const n0 = await auditLength();
  const r = await as.leader.post('/api/v1/values/approve', one(key));
  refusedStatus(r, 'leader', 'approve');
  assert.equal((await figure(key)).state, 'submitted');
  assert.equal(await auditLength(), n0);
  refusedStatus(await as.leader.post('/api/v1/values/return', { ...one(key), reason: 'no' }), 'leader', 'return');
  allowedStatus(await as.reviewer.post('/api/v1/values/approve', one(key)), 'reviewer', 'approve');
  allowedStatus(await as.leader.post('/api/v1/values/reopen', { ...one(key), reason: 'revised by the bureau' }),
    'leader', 'reopen');
  assert.equal((await figure(key)).state, 'draft');
});

test('accounts are the admin\'s: every other caller is refused, nothing changed', async (t) => {
  const names = async () => (await as.admin.get('/api/v1/users?limit=1000')).json.items.map((u) => u.name).sort();
  const before = await names(), n0 = await auditLength();
  for (const who of CALLERS.filter((c) => c !== 'admin')) {
    await t.test(who, async () => {
      refusedStatus(await as[who].post('/api/v1/users', { name: `x-${who}`, role: 'admin' }), who, 'POST /api/v1/users');
      for (const action of ['disable', 'password'])
        refusedStatus(await as[who].post(`/api/v1/users/clerk/${action}`), who, `POST /api/v1/users/clerk/${action}`);
    });
  }
  assert.deepEqual(await names(), before);
  assert.equal(await auditLength(), n0);
  assert.equal((await as.clerk.get('/api/v1/me')).json.user.name, 'clerk', 'the clerk is still signed in');
  const r = await as.admin.post('/api/v1/users', { name: 'matrix-new', role: 'reviewer' });
  allowedStatus(r, 'admin', 'POST /api/v1/users');
  allowedStatus(await as.admin.post('/api/v1/users/matrix-new/disable'), 'admin', 'disable');
  assert.equal(await auditLength(), n0 + 2);
});

test('a write without the CSRF token is refused for every signed-in role, nothing changed', async () => {
  for (const who of CALLERS.slice(1)) {
    const key = fresh({ code: 'FAI', frequency: 'month' });
    const n0 = await auditLength();
    const r = await as[who].post('/api/v1/values', one(key, { value: 1 }), { 'x-csrf-token': '' });
    assert.equal(r.status, 403, `${who}: ${r.text}`);
    assert.equal(await figure(key), undefined);
    assert.equal(await auditLength(), n0);
  }
});
