// The working-day calendar's routes: GET /holidays (public: the State
// Council's notices) with the demo's three years, and POST /holidays
// (admin only) as every caller; bad bodies refused with the field named
// and nothing stored, not even an audit entry.  The last test fails when
// a /holidays route is called by no test here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, routeTable, TOP, assertError, auditLength as auditOf } from './harness.mjs';

const ROUTES = routeTable().filter((rt) => /^\/api\/v1\/holidays/.test(rt.pattern));
const covered = new Set();
const cover = (method, pattern) => covered.add(`${method} ${pattern}`);

let srv;
const as = {};
const CALLERS = ['anonymous', 'resident', 'clerk', 'other', 'reviewer', 'leader', 'admin'];

before(async () => {
  srv = await start();
  as.anonymous = srv.anonymous();
  for (const who of CALLERS.slice(1)) as[who] = await srv.login(who);
});
after(async () => { await srv?.stop(); });

const auditLength = () => auditOf(as.leader);
const year = async (y) => (await as.anonymous.get(`/api/v1/holidays?year=${y}`)).json;

test('GET /holidays: the demo\'s notices, by year, to anybody', async () => {
  cover('GET', '/api/v1/holidays');
  const csv = readFileSync(join(TOP, 'data/demo/holidays.csv'), 'utf8').trim().split('\n').slice(1);
  const all = await as.anonymous.get('/api/v1/holidays');
  assert.equal(all.status, 200, all.text);
  assert.equal(all.json.total, csv.length);
  const y = await year(2026);
  assert.equal(y.total, csv.filter((l) => l.startsWith('2026-')).length);
  assert.ok(y.items.every((d) => d.date.startsWith('2026-')));
  const sat = y.items.find((d) => d.date === '2026-02-14');
  assert.deepEqual({ ...sat, source: undefined },
    { date: '2026-02-14', weekday: 6, kind: 'workday', name: '春节', source: undefined });
  assert.match(sat.source, /国务院办公厅关于2026年部分节假日安排的通知/);
  const mon = y.items.find((d) => d.date === '2026-02-16');
  assert.equal(mon.kind, 'holiday');
  assert.equal(mon.weekday, 1);
  assert.equal((await year(2031)).total, 0);
  assertError(await as.anonymous.get('/api/v1/holidays?year=20x6'), 400, 'invalid', 'year');
});

test('POST /holidays as every caller: only the admin', async (t) => {
  cover('POST', '/api/v1/holidays');
  for (const who of CALLERS) {
    await t.test(who, async () => {
      const date = `2030-01-0${CALLERS.indexOf(who) + 1}`;
      const r = await as[who].post('/api/v1/holidays',
        { holidays: [{ date, kind: 'holiday', name: '元旦', source: 'test' }] });
      if (who === 'admin') {
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.stored, 1);
      } else {
        assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
      }
    });
  }
  const y = await year(2030);
  assert.deepEqual(y.items.map((d) => d.date), ['2030-01-07'], 'only the admin\'s day was stored');
});

test('POST /holidays: a 调休 Saturday and a 春节 week for 2027, then replaced', async () => {
  const before = await auditLength();
  let r = await as.admin.post('/api/v1/holidays', { holidays: [
    { date: '2027-02-06', kind: 'holiday', name: '春节' },
    { date: '2027-02-20', kind: 'workday', name: '春节', source: 'sample' },
  ] });
  assert.equal(r.status, 200, r.text);
  assert.equal(await auditLength(), before + 1, 'one audit entry for the write');
  const audit = (await as.leader.get(`/api/v1/audit?from=${before + 1}`)).json.items[0];
  assert.equal(audit.action, 'holiday.put');
  assert.equal(audit.actor, 'admin');
  r = await as.admin.post('/api/v1/holidays', { holidays: [{ date: '2027-02-06', kind: 'holiday', name: '除夕' }] });
  assert.equal(r.status, 200, r.text);
  const y = await year(2027);
  assert.deepEqual(y.items.map((d) => [d.date, d.kind, d.name, d.weekday]),
    [['2027-02-06', 'holiday', '除夕', 6], ['2027-02-20', 'workday', '春节', 6]]);
});

test('POST /holidays: bad bodies name the field and store nothing', async () => {
  const before = await auditLength();
  const cases = [
    [{ holidays: [] }, 'holidays'],
    [{ days: [] }, 'holidays'],
    [{ holidays: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' },
      { date: '2028-01-05', kind: 'workday', name: '元旦' }] }, 'holidays[1].kind'],
    [{ holidays: [{ date: '2028-02-30', kind: 'holiday', name: '春节' }] }, 'holidays[0].date'],
    [{ holidays: [{ date: '2028-01-01', kind: 'rest', name: '元旦' }] }, 'holidays[0].kind'],
    [{ holidays: [{ date: '2028-01-01', kind: 'holiday', name: '' }] }, 'holidays[0].name'],
    [{ holidays: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' },
      { date: '2028-01-01', kind: 'holiday', name: '元旦' }] }, 'holidays[1].date'],
    [{ holidays: [{ date: 20280101, kind: 'holiday', name: '元旦' }] }, 'holidays[0].date'],
  ];
  for (const [body, field] of cases) {
    assertError(await as.admin.post('/api/v1/holidays', body), 400, 'invalid', field);
  }
  assert.equal((await year(2028)).total, 0, 'nothing of a refused body is stored');
  assert.equal(await auditLength(), before, 'and nothing audited');
});

test('every /holidays route is called by a test above', () => {
  const missing = ROUTES.map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !covered.has(k));
  assert.deepEqual(missing, []);
  assert.equal(ROUTES.length, 2);
});
