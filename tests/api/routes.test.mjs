// Every route of the table in src/api/routes.c: a successful call with the
// shape of its answer, its errors and its pagination; the figure workflow
// step by step; history, audit, logout, metrics and the OpenAPI document.
// The last test fails when the table has a route no test here calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, routeTable, assertError } from './harness.mjs';

const ROUTES = routeTable();
const covered = new Set();
const cover = (method, pattern) => covered.add(`${method} ${pattern}`);

let srv, anon, clerk, other, reviewer, leader, admin;
let AREAS; // every area of the demo city

before(async () => {
  srv = await start();
  anon = srv.anonymous();
  [clerk, other, reviewer, leader, admin] = await Promise.all(
    ['clerk', 'other', 'reviewer', 'leader', 'admin'].map((n) => srv.login(n)));
  AREAS = (await anon.get('/api/v1/areas?limit=1000')).json.items;
});
after(async () => { await srv?.stop(); });

const close = (a, b, tol = 1e-6) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b)), `${a} ≈ ${b}`);
const enc = encodeURIComponent;

// Every audit entry, paged with from.
async function auditAll() {
  const items = [];
  for (let from = 1; ;) {
    const r = await leader.get(`/api/v1/audit?limit=1000&from=${from}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    if (r.json.items.length < 1000) return items;
    from = items.at(-1).id + 1;
  }
}

// The own figure of an indicator, area and period as admin sees it, or undefined.
async function figure(ind, area, period) {
  const r = await admin.get(`/api/v1/values?indicator=${ind}&area=${area}&limit=1000`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((v) => v.period === period);
}

const one = (ind, area, period, extra = {}) => ({ figures: [{ indicator: ind, area, period, ...extra }] });

// ---- health, metrics, documentation ------------------------------------

test('GET /healthz: ok and the figures held', async () => {
  cover('GET', '/healthz');
  const r = await anon.get('/healthz');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(Object.keys(r.json).sort(), ['figures', 'status']);
  assert.equal(r.json.status, 'ok');
  assert.ok(Number.isInteger(r.json.figures) && r.json.figures > 9000);
  assert.match(r.headers.get('x-request-id'), /^[0-9a-f]+-[0-9a-f]+$/);
});

test('GET /metrics: Prometheus text whose counters move', async () => {
  cover('GET', '/metrics');
  const a = await anon.get('/metrics');
  assert.equal(a.status, 200);
  assert.match(a.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const families = new Map();
  const samples = new Map();
  for (const line of a.text.split('\n')) {
    if (!line) continue;
    let m;
    if ((m = line.match(/^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/))) {
      if (m[1] === 'TYPE') {
        assert.match(m[3], /^(counter|gauge|histogram|summary|untyped)$/, line);
        families.set(m[2], m[3]);
      }
      continue;
    }
    m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? (-?[0-9.eE+]+|NaN|[+-]Inf)$/);
    assert.ok(m, `a sample line in the exposition format: ${JSON.stringify(line)}`);
    assert.ok(families.has(m[1]), `${m[1]} has a TYPE before it`);
    samples.set(m[1] + (m[2] || ''), Number(m[4]));
  }
  for (const k of ['civstat_requests_total', 'civstat_errors_total{class="4xx"}',
    'civstat_errors_total{class="5xx"}', 'civstat_figures', 'civstat_start_time_seconds'])
    assert.ok(samples.has(k), `metrics have ${k}`);
  const health = await anon.get('/healthz');
  assert.equal(samples.get('civstat_figures'), health.json.figures);
  await anon.get('/api/v1/no-such-route');
  const b = await anon.get('/metrics');
  const after = new Map(b.text.split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]));
  assert.ok(after.get('civstat_requests_total') >= samples.get('civstat_requests_total') + 3,
    'the three requests since are counted');
  assert.ok(after.get('civstat_errors_total{class="4xx"}') >= samples.get('civstat_errors_total{class="4xx"}') + 1,
    'the 404 is counted');
});

test('GET /api/v1/openapi.json: every route of the table, and nothing else', async () => {
  cover('GET', '/api/v1/openapi.json');
  const r = await anon.get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.json.openapi, /^3\.1\./);
  assert.equal(typeof r.json.info.title, 'string');
  assert.equal(typeof r.json.info.version, 'string');
  const documented = new Set();
  for (const [pattern, item] of Object.entries(r.json.paths))
    for (const [method, op] of Object.entries(item)) {
      documented.add(`${method.toUpperCase()} ${pattern}`);
      assert.equal(typeof op.summary, 'string');
      assert.ok(op.responses, `${method} ${pattern} has responses`);
    }
  const table = new Set(ROUTES.map((rt) => `${rt.method} ${rt.pattern}`));
  assert.deepEqual([...table].filter((k) => !documented.has(k)), [], 'routes of the table missing in openapi.json');
  assert.deepEqual([...documented].filter((k) => !table.has(k)), [], 'openapi.json operations not in the table');
  for (const rt of ROUTES)
    assert.equal(r.json.paths[rt.pattern][rt.method.toLowerCase()]['x-civstat-role'], rt.role,
      `${rt.method} ${rt.pattern}: the documented role is the table's`);
  // Every parameter is explained; every path parameter is declared; the
  // writes say what their body is; errors have the one error shape.
  for (const [pattern, item] of Object.entries(r.json.paths))
    for (const [method, op] of Object.entries(item)) {
      for (const p of op.parameters) {
        assert.ok(p.description, `${method} ${pattern}: parameter ${p.name} is explained`);
        assert.ok(['query', 'path'].includes(p.in));
      }
      for (const m of pattern.matchAll(/\{(\w+)\}/g))
        assert.ok(op.parameters.some((p) => p.in === 'path' && p.name === m[1]), `${pattern}: {${m[1]}}`);
      assert.equal(op.responses['4XX'].content['application/json'].schema.$ref, '#/components/schemas/Error');
    }
  for (const path of ['/api/v1/values', '/api/v1/values/{step}', '/api/v1/login', '/api/v1/imports'])
    assert.ok(r.json.paths[path].post.requestBody, `POST ${path} documents its body`);
  assert.ok(r.json.paths['/api/v1/series'].get.parameters.some((p) => p.name === 'indicator' && p.required));
});

// ---- errors common to every route ---------------------------------------

test('an unknown path is 404; a method the route does not take is 405 with Allow', async () => {
  assertError(await anon.get('/api/v1/areas/nope'), 404, 'not_found', null);
  const r = await anon.get('/api/v1/login');
  assert.equal(r.status, 405, `GET /api/v1/login: ${r.status} ${r.text}`);
  assert.match(r.headers.get('allow') || '', /POST/);
});

// ---- accounts -----------------------------------------------------------

test('POST /api/v1/login: the user, a CSRF token and a strict session cookie', async () => {
  cover('POST', '/api/v1/login');
  const res = await fetch(`${srv.url}/api/v1/login`, {
    method: 'POST', body: JSON.stringify({ name: 'clerk', password: 'clerk-password-1' }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^civstat_session=[0-9a-f]{64};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Path=\//);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const j = await res.json();
  assert.match(j.csrf, /^[0-9a-f]{64}$/);
  assert.equal(j.user.name, 'clerk');
  assert.equal(j.user.role, 'department');
  assert.equal(typeof j.user.role_zh, 'string');
  assert.ok(j.user.department_id > 0);
});

test('POST /api/v1/login errors: no body, bad JSON, a missing field, a wrong password', async () => {
  assertError(await anon.post('/api/v1/login'), 400, 'invalid');
  const bad = await fetch(`${srv.url}/api/v1/login`, { method: 'POST', body: '{"name": ' });
  assert.equal(bad.status, 400);
  assertError(await anon.post('/api/v1/login', { name: 'clerk' }), 400, 'invalid');
  assertError(await anon.post('/api/v1/login', { name: 'admin', password: 'not-the-password' }), 401, 'unauthorized');
});

test('GET /api/v1/me: who is asking', async () => {
  cover('GET', '/api/v1/me');
  const a = await anon.get('/api/v1/me');
  assert.equal(a.status, 200);
  assert.deepEqual(a.json, { user: { name: 'public', role: 'public', role_zh: a.json.user.role_zh, department_id: 0, area_id: 0 } });
  const c = await clerk.get('/api/v1/me');
  assert.equal(c.json.user.name, 'clerk');
  assert.equal(c.json.csrf, clerk.headers['x-csrf-token'], 'a cookie session gets its CSRF token back');
  assert.equal(c.json.user.role, 'department');
  const l = await leader.get('/api/v1/me');
  assert.equal(l.json.user.role, 'leader');
  assert.equal(l.json.user.department_id, 0);
});

test('POST /api/v1/logout: ends the session; the cookie then gets 401', async () => {
  cover('POST', '/api/v1/logout');
  const c = await srv.login('clerk');
  const path = '/api/v1/values?indicator=FAI&area=210726&limit=1';
  assert.equal((await c.get(path)).status, 200);
  // Without its CSRF token the logout is refused and the session lives on.
  const noCsrf = await c.post('/api/v1/logout', undefined, { 'x-csrf-token': '' });
  assert.equal(noCsrf.status, 403);
  assert.equal((await c.get(path)).status, 200);
  const r = await c.post('/api/v1/logout');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { ok: true });
  assertError(await c.get(path), 401, 'unauthorized');
  assert.equal((await c.get('/api/v1/me')).json.user.role, 'public', 'a stale cookie on a public route is the public');
  assertError(await anon.post('/api/v1/logout'), 401, 'unauthorized');
});

// ---- events -------------------------------------------------------------

test('GET /api/v1/events: a stream for anyone, opening with the data version', async () => {
  cover('GET', '/api/v1/events');
  for (const c of [anon, clerk, leader]) {
    const r = await c.peek('/api/v1/events');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/event-stream');
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.match(r.headers.get('x-request-id'), /^[0-9a-f]+-[0-9a-f]+$/);
    assert.match(r.text, /^retry: \d+\nevent: hello\ndata: \{"version":\d+\}\n\n$/);
  }
  const r = await anon.post('/api/v1/events', {});
  assert.equal(r.status, 405);
});

// ---- the catalog --------------------------------------------------------

for (const [path, total, keys] of [
  ['/api/v1/areas', 12, ['code', 'id', 'kind', 'level', 'name', 'name_en', 'parent']],
  ['/api/v1/departments', 21, ['code', 'id', 'name', 'name_en']],
  // The public sees the 85 indicators shown to it, of 87 (重点项目完成投资 and the
  // three the residents' requests feed among them).
  ['/api/v1/indicators', 85, ['area_agg', 'code', 'decimals', 'department', 'direction', 'formula', 'frequency',
    'id', 'name', 'name_en', 'pillar', 'public', 'source', 'time_agg', 'unit', 'weight']],
]) {
  test(`GET ${path}: items, total, limit, offset and its pages`, async () => {
    cover('GET', path);
    const all = await anon.get(`${path}?limit=1000`);
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.json).sort(), ['items', 'limit', 'offset', 'total']);
    assert.equal(all.json.total, total);
    assert.equal(all.json.items.length, total);
    assert.equal(all.json.limit, 1000);
    assert.equal(all.json.offset, 0);
    for (const it of all.json.items) assert.deepEqual(Object.keys(it).sort(), keys);
    assert.equal(new Set(all.json.items.map((it) => it.code)).size, total, 'codes are unique');
    // The default page is 100.
    const dflt = await anon.get(path);
    assert.equal(dflt.json.limit, 100);
    assert.equal(dflt.json.items.length, Math.min(100, total));
    // Pages of 5 put back together give the whole list, in order.
    const pages = [];
    for (let off = 0; off < total; off += 5) {
      const p = await anon.get(`${path}?limit=5&offset=${off}`);
      assert.equal(p.status, 200);
      assert.equal(p.json.total, total);
      assert.equal(p.json.limit, 5);
      assert.equal(p.json.offset, off);
      assert.equal(p.json.items.length, Math.min(5, total - off));
      pages.push(...p.json.items);
    }
    assert.deepEqual(pages, all.json.items);
    const past = await anon.get(`${path}?offset=${total}`);
    assert.equal(past.status, 200);
    assert.deepEqual(past.json.items, []);
    assert.equal(past.json.total, total);
    for (const bad of ['0', '-1', '1001', 'abc', '5x', ''])
      assertError(await anon.get(`${path}?limit=${bad}`), 400, 'invalid', 'limit');
    for (const bad of ['-1', 'abc', '2y'])
      assertError(await anon.get(`${path}?offset=${bad}`), 400, 'invalid', 'offset');
  });
}

test('a huge offset is an empty page, not an overflow', async () => {
  for (const path of ['/api/v1/areas', '/api/v1/departments', '/api/v1/indicators',
    '/api/v1/values?indicator=FAI&area=210726&']) {
    const sep = path.endsWith('&') ? '' : '?';
    const r = await clerk.get(`${path}${sep}offset=9223372036854775807`);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.deepEqual(r.json.items, []);
  }
});

test('GET /api/v1/areas: parents first, with their levels', async () => {
  const seen = new Map();
  for (const a of AREAS) {
    if (a.parent === null) assert.equal(a.level, 1);
    else {
      assert.ok(seen.has(a.parent), `${a.code}: its parent ${a.parent} comes before it`);
      assert.equal(a.level, seen.get(a.parent).level + 1);
    }
    assert.ok(['admin', 'zone'].includes(a.kind));
    seen.set(a.code, a);
  }
  assert.equal(AREAS[0].code, '210700');
});

test('GET /api/v1/indicators?pillar=: only that pillar, counted and paged', async () => {
  const all = (await anon.get('/api/v1/indicators?limit=1000')).json.items;
  for (const pillar of ['stable', 'vital', 'excellent']) {
    const want = all.filter((d) => d.pillar === pillar);
    assert.ok(want.length > 0);
    const r = await anon.get(`/api/v1/indicators?pillar=${pillar}&limit=1000`);
    assert.equal(r.json.total, want.length);
    assert.deepEqual(r.json.items, want);
    const p = await anon.get(`/api/v1/indicators?pillar=${pillar}&limit=2&offset=1`);
    assert.equal(p.json.total, want.length);
    assert.deepEqual(p.json.items, want.slice(1, 3));
  }
  const fai = all.find((d) => d.code === 'FAI');
  assert.equal(fai.department, 'FGW');
  assert.equal(fai.frequency, 'month');
  const none = await anon.get('/api/v1/indicators?pillar=nope');
  assert.equal(none.json.total, 0);
});

// ---- the questions -------------------------------------------------------

test('GET /api/v1/progress: 累计, 完成率, 序时进度 and the light', async () => {
  cover('GET', '/api/v1/progress');
  const r = await anon.get('/api/v1/progress?indicator=FAI,GDP&period=2025-09');
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 2);
  for (const row of r.json) {
    assert.deepEqual(Object.keys(row).sort(), ['area', 'area_name', 'completion_pct', 'indicator',
      'indicator_name', 'period', 'sample', 'status', 'target', 'time_progress_pct', 'unit', 'yoy_pct',
      'ytd_value']);
    assert.equal(row.sample, 1, 'the demo series are sample data, and say so');
    assert.equal(row.area, '210700');
    assert.equal(row.period, '2025-01/2025-09');
    close(row.completion_pct, row.ytd_value / row.target * 100);
  }
  const fai = r.json.find((x) => x.indicator === 'FAI');
  assert.equal(fai.time_progress_pct, 75);
  // 74.8 of an expected 75: close within 0.1, behind with no tolerance.
  assert.equal(fai.status, 'close');
  const strict = await anon.get('/api/v1/progress?indicator=FAI&period=2025-09&tolerance=0');
  assert.equal(strict.json[0].status, 'behind');
  // The Chinese period is the same question.
  const zh = await anon.get(`/api/v1/progress?indicator=FAI&period=${enc('2025年1-9月')}`);
  assert.equal(zh.status, 200);
  assert.deepEqual(zh.json, [fai]);
  // Every area at level 2, and the children of the city.
  const level2 = AREAS.filter((a) => a.level === 2).map((a) => a.code).sort();
  const lv = await anon.get('/api/v1/progress?indicator=FAI&period=2025-09&level=2');
  assert.deepEqual(lv.json.map((x) => x.area).sort(), level2);
  const ch = await anon.get('/api/v1/progress?indicator=FAI&period=2025-09&children=210700');
  assert.deepEqual(ch.json.map((x) => x.area).sort(),
    AREAS.filter((a) => a.parent === '210700').map((a) => a.code).sort());
  const one = await anon.get('/api/v1/progress?indicator=FAI&period=2025-09&area=210726');
  assert.equal(one.json.length, 1);
  assert.equal(one.json[0].area, '210726');
  // assessed: only indicators with a weight.
  const weighted = (await anon.get('/api/v1/indicators?limit=1000')).json.items.filter((d) => d.weight !== null);
  const as = await anon.get('/api/v1/progress?assessed=1&period=2025-09');
  assert.equal(as.status, 200);
  const codes = new Set(weighted.map((d) => d.code));
  assert.ok(as.json.length > 0 && as.json.every((x) => codes.has(x.indicator)));
  // lang=en gives English names.
  const en = await anon.get('/api/v1/progress?indicator=FAI&period=2025-09&lang=en');
  assert.equal(en.json[0].area_name, 'Jinzhou');
});

// The errors every question shares: unknown indicator or area (404, naming
// it, no field), a bad period (400), a tolerance out of range (400).
for (const q of ['progress', 'growth', 'rank', 'series', 'pillars', 'compare', 'brief']) {
  test(`GET /api/v1/${q}: unknown indicator and area 404, bad period 400`, async () => {
    const base = `/api/v1/${q}?`;
    const ind = 'FAI';
    let r = await anon.get(`${base}indicator=NO_SUCH_IND&period=2025-09`);
    assertError(r, 404, 'not_found', null);
    assert.match(r.json.error.message, /NO_SUCH_IND/);
    r = await anon.get(`${base}indicator=${ind}&area=999999&period=2025-09`);
    assertError(r, 404, 'not_found', null);
    assert.match(r.json.error.message, /999999/);
    r = await anon.get(`${base}indicator=${ind}&period=2025-13`);
    assertError(r, 400, undefined, null);
    assert.match(r.json.error.message, /2025-13/);
    r = await anon.get(`${base}indicator=${ind}&period=${enc('去年')}`);
    assert.equal(r.status, 400);
    r = await anon.get(`${base}indicator=${ind}&period=2025-09&tolerance=1.5`);
    assertError(r, 400, 'invalid', 'tolerance');
    r = await anon.get(`${base}indicator=${ind}&period=2025-09&level=9`);
    assertError(r, 404, 'not_found', null);
  });
}

test('GET /api/v1/growth: 同比 and 环比 (mom)', async () => {
  cover('GET', '/api/v1/growth');
  const r = await anon.get('/api/v1/growth?indicator=FAI&period=2025-09');
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 1);
  const g = r.json[0];
  assert.deepEqual(Object.keys(g).sort(), ['area', 'area_name', 'base', 'base_period', 'change', 'growth_pct',
    'indicator', 'indicator_name', 'period', 'unit', 'value']);
  assert.equal(g.period, '2025-09');
  assert.equal(g.base_period, '2024-09');
  close(g.growth_pct, (g.value / g.base - 1) * 100);
  close(g.change, g.value - g.base);
  const m = (await anon.get('/api/v1/growth?indicator=FAI&period=2025-09&mom=1')).json[0];
  assert.equal(m.base_period, '2025-08');
  assert.equal(m.value, g.value);
  close(m.growth_pct, (m.value / m.base - 1) * 100);
  const q = (await anon.get('/api/v1/growth?indicator=GDP&period=2025-Q3&mom=1')).json[0];
  assert.equal(q.base_period, '2025-Q2');
});

test('GET /api/v1/rank: areas by weighted score, or by one indicator', async () => {
  cover('GET', '/api/v1/rank');
  const r = await anon.get('/api/v1/rank?period=2025-09');
  assert.equal(r.status, 200);
  const level2 = AREAS.filter((a) => a.level === 2).map((a) => a.code).sort();
  assert.deepEqual(r.json.map((x) => x.area).sort(), level2, 'rank is of level 2 by default');
  r.json.forEach((x, k) => {
    assert.deepEqual(Object.keys(x).sort(), ['area', 'area_name', 'rank', 'score']);
    assert.equal(x.rank, k + 1);
    if (k) assert.ok(r.json[k - 1].score >= x.score, 'scores go down');
  });
  const f = await anon.get('/api/v1/rank?period=2025-09&indicator=FAI&children=210700');
  assert.equal(f.status, 200);
  assert.ok(f.json.length > 1);
  for (let k = 1; k < f.json.length; k++) assert.ok(f.json[k - 1].score >= f.json[k].score);
  const two = await anon.get('/api/v1/rank?period=2025-09&indicator=FAI,GDP');
  assertError(two, 400, 'usage', null);
});

test('GET /api/v1/series: one indicator over time; none or two is 400', async () => {
  cover('GET', '/api/v1/series');
  const r = await anon.get('/api/v1/series?indicator=FAI&area=210726&from=2025-01&to=2025-03');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.map((x) => x.period), ['2025-01', '2025-02', '2025-03']);
  const own = (await clerk.get('/api/v1/values?indicator=FAI&area=210726&limit=1000')).json.items;
  for (const x of r.json) {
    assert.deepEqual(Object.keys(x).sort(), ['period', 'sample', 'state', 'value']);
    const v = own.find((o) => o.period === x.period);
    close(x.value, v.value);
    assert.equal(x.state, v.state);
  }
  const q = await anon.get('/api/v1/series?indicator=GDP&from=2024-01&to=2024-12');
  assert.deepEqual(q.json.map((x) => x.period), ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
  assertError(await anon.get('/api/v1/series'), 400, 'invalid', 'indicator');
  assertError(await anon.get('/api/v1/series?indicator=FAI,GDP'), 400, 'invalid', 'indicator');
  assertError(await anon.get('/api/v1/series?indicator=FAI&from=nope'), 400, undefined, null);
});

test('GET /api/v1/pillars: 稳 活 优, each ahead + close + behind', async () => {
  cover('GET', '/api/v1/pillars');
  const r = await anon.get('/api/v1/pillars?period=2025-09');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.map((x) => x.pillar), ['stable', 'vital', 'excellent']);
  for (const x of r.json) {
    assert.equal(x.area, '210700');
    assert.equal(x.ahead + x.close + x.behind, x.n_indicators);
    assert.ok(x.n_indicators > 0);
    assert.equal(typeof x.mean_completion_pct, 'number');
  }
  const lv = await anon.get('/api/v1/pillars?period=2025-09&level=2');
  assert.equal(lv.json.length, 3 * AREAS.filter((a) => a.level === 2).length);
});

test('GET /api/v1/compare: gaps to 全省平均 and 沿海6市平均 in points', async () => {
  cover('GET', '/api/v1/compare');
  const r = await anon.get('/api/v1/compare?indicator=FAI,GDP&period=2025-09');
  assert.equal(r.status, 200);
  assert.ok(r.json.length >= 2);
  const groups = new Set(r.json.map((x) => x.group));
  assert.ok(groups.has('全省平均') && groups.has('沿海6市平均'), [...groups].join());
  for (const x of r.json) {
    assert.ok(['FAI', 'GDP'].includes(x.indicator));
    assert.deepEqual(Object.keys(x).sort(), ['area', 'area_figure', 'area_name', 'benchmark', 'gap_pp', 'group',
      'indicator', 'indicator_name', 'measure', 'period']);
    if (x.gap_pp !== null) close(x.gap_pp, x.area_figure - x.benchmark);
  }
  // The area's figure is its 同比 of the year to date, as progress says.
  const p = (await anon.get('/api/v1/progress?indicator=FAI&period=2025-09')).json[0];
  const f = r.json.find((x) => x.indicator === 'FAI' && x.measure === 'growth');
  close(f.area_figure, p.yoy_pct);
});

test('the public sees the indicators shown to it; staff see all, and with ?public what the public sees', async () => {
  const codes = (r) => r.json.items.map((it) => it.code);
  const pub = await anon.get('/api/v1/indicators?limit=1000');
  assert.equal(pub.json.total, 85);
  assert.ok(pub.json.items.every((it) => it.public === true));
  const staff = await leader.get('/api/v1/indicators?limit=1000');
  assert.equal(staff.json.total, 87);
  assert.deepEqual(staff.json.items.filter((it) => !it.public).map((it) => it.code).sort(),
    ['CONTRACT_INV', 'FAI_IND_SHARE']);
  assert.deepEqual(codes(await leader.get('/api/v1/indicators?limit=1000&public=1')), codes(pub));
  // An internal indicator is unknown to the public, by name too.
  assertError(await anon.get('/api/v1/progress?indicator=CONTRACT_INV&period=2025-09'), 404, 'not_found');
  assertError(await anon.get('/api/v1/series?indicator=CONTRACT_INV'), 404, 'not_found');
  assertError(await anon.get('/api/v1/targets?indicator=CONTRACT_INV'), 404, 'not_found');
  assert.equal((await leader.get('/api/v1/progress?indicator=CONTRACT_INV&period=2025-09')).status, 200);
  // The same URL answers each by its view, cached or not.
  const path = '/api/v1/progress?assessed=1&period=2025-09';
  for (let k = 0; k < 2; k++) {
    const a = await anon.get(path), l = await leader.get(path);
    assert.ok(!a.json.some((row) => row.indicator === 'CONTRACT_INV'));
    assert.ok(l.json.some((row) => row.indicator === 'CONTRACT_INV'));
    assert.notEqual(a.headers.get('etag'), l.headers.get('etag'));
  }
  const pa = (await anon.get('/api/v1/pillars?period=2025-09')).json;
  const pl = (await leader.get('/api/v1/pillars?period=2025-09')).json;
  const n = (rows) => rows.reduce((s, r) => s + r.n_indicators, 0);
  assert.ok(n(pa) < n(pl), 'the pillars count what each may see');
  assert.ok(!(await anon.get('/api/v1/targets?limit=1000')).json.items.some((t) => t.indicator === 'CONTRACT_INV'));
  // The public's ranking scores only what the public may see: the
  // internal CONTRACT_INV carries a weight, so the scores differ, and the
  // staff's view with ?public=1 gives the public's.
  const ra = (await anon.get('/api/v1/rank?period=2025-09')).json;
  const rl = (await leader.get('/api/v1/rank?period=2025-09')).json;
  const rp = (await leader.get('/api/v1/rank?period=2025-09&public=1')).json;
  assert.equal(ra.length, rl.length);
  assert.ok(ra.some((row, k) => row.score !== rl.find((x) => x.area === row.area).score),
    'a public score leaves CONTRACT_INV out');
  assert.deepEqual(rp, ra);
  // The public's brief has neither the internal indicators nor the
  // data-quality section, which is the staff's.
  const ba = (await anon.get('/api/v1/brief?period=2025-09')).json[0].brief;
  const bl = (await leader.get('/api/v1/brief?period=2025-09')).json[0].brief;
  assert.doesNotMatch(ba, /招商引资|五、数据质量/);
  assert.match(bl, /五、数据质量/);
});

test('GET /api/v1/brief: the month\'s summary in Chinese', async () => {
  cover('GET', '/api/v1/brief');
  const r = await anon.get('/api/v1/brief?period=2025-09');
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 1);
  assert.deepEqual(Object.keys(r.json[0]), ['brief']);
  const text = r.json[0].brief;
  assert.match(text, /锦州市/);
  assert.match(text, /2025年1-9月/);
  assert.match(text, /序时进度75\.0%/);
  const dflt = await anon.get('/api/v1/brief');
  assert.equal(dflt.status, 200);
  assert.equal(dflt.json[0].brief, text, 'without a period: the latest month, 2025-09');
});

test('GET /api/v1/check: data-quality findings, for a department and up', async () => {
  cover('GET', '/api/v1/check');
  const r = await clerk.get('/api/v1/check?period=2025-09');
  assert.equal(r.status, 200);
  assert.ok(Array.isArray(r.json) && r.json.length > 0);
  for (const x of r.json) {
    assert.deepEqual(Object.keys(x).sort(), ['area', 'area_name', 'indicator', 'indicator_name', 'kind',
      'kind_name', 'period', 'reference', 'score', 'value']);
    assert.equal(typeof x.kind, 'string');
  }
  assertError(await anon.get('/api/v1/check?period=2025-09'), 401, 'unauthorized');
  assertError(await clerk.get('/api/v1/check?period=nope'), 400);
});

test('GET /api/v1/reporting: each department\'s completeness and timeliness', async () => {
  cover('GET', '/api/v1/reporting');
  const r = await clerk.get('/api/v1/reporting?period=2025-09');
  assert.equal(r.status, 200);
  const depts = (await anon.get('/api/v1/departments?limit=1000')).json.items.map((d) => d.code);
  assert.ok(r.json.length > 0);
  for (const x of r.json) {
    assert.ok(depts.includes(x.department), x.department);
    assert.ok(x.reported <= x.expected && x.submitted <= x.reported);
    if (x.expected) {
      close(x.completeness_pct, x.reported / x.expected * 100);
      close(x.timeliness_pct, x.submitted / x.expected * 100);
    }
  }
  assertError(await anon.get('/api/v1/reporting?period=2025-09'), 401, 'unauthorized');
});

// ---- figures --------------------------------------------------------------

test('GET /api/v1/values: an area\'s own figures with states, filtered and paged', async () => {
  cover('GET', '/api/v1/values');
  const all = await clerk.get('/api/v1/values?indicator=FAI&area=210726&limit=1000');
  assert.equal(all.status, 200);
  assert.deepEqual(Object.keys(all.json).sort(), ['items', 'limit', 'offset', 'total']);
  assert.equal(all.json.total, all.json.items.length);
  assert.ok(all.json.total >= 57);
  for (const v of all.json.items) {
    assert.deepEqual(Object.keys(v).sort(), ['area', 'indicator', 'period', 'sample', 'state', 'value']);
    assert.equal(v.indicator, 'FAI');
    assert.equal(v.area, '210726');
    assert.match(v.period, /^\d{4}-\d{2}$/);
    assert.ok(['draft', 'submitted', 'approved', 'returned'].includes(v.state));
    assert.equal(typeof v.sample, 'boolean');
  }
  const periods = all.json.items.map((v) => v.period);
  assert.deepEqual(periods, [...periods].sort(), 'oldest first');
  const page = await clerk.get('/api/v1/values?indicator=FAI&area=210726&limit=10&offset=20');
  assert.deepEqual(page.json.items, all.json.items.slice(20, 30));
  assert.equal(page.json.total, all.json.total);
  const approved = await clerk.get('/api/v1/values?indicator=FAI&area=210726&state=approved&limit=1000');
  assert.deepEqual(approved.json.items, all.json.items.filter((v) => v.state === 'approved'));
  assert.equal(approved.json.total, approved.json.items.length);
  const q = await clerk.get('/api/v1/values?indicator=GDP&area=210726&limit=1000');
  assert.ok(q.json.items.length > 0 && q.json.items.every((v) => /^\d{4}-Q[1-4]$/.test(v.period)));
  assertError(await clerk.get('/api/v1/values?indicator=FAI&area=210726&state=bogus'), 400, 'invalid', 'state');
  assertError(await clerk.get('/api/v1/values?indicator=FAI&area=210726&limit=0'), 400, 'invalid', 'limit');
  let r = await clerk.get('/api/v1/values?indicator=NOPE&area=210726');
  assertError(r, 404, 'not_found', 'indicator');
  assert.match(r.json.error.message, /NOPE/);
  r = await clerk.get('/api/v1/values?indicator=FAI&area=000000');
  assertError(r, 404, 'not_found', 'area');
  assertError(await anon.get('/api/v1/values?indicator=FAI&area=210726'), 401, 'unauthorized');
});

test('GET /api/v1/values without indicator or area is 400, not 404', async () => {
  assertError(await clerk.get('/api/v1/values?area=210726'), 400, 'invalid', 'indicator');
  assertError(await clerk.get('/api/v1/values?indicator=FAI'), 400, 'invalid', 'area');
  assertError(await clerk.get('/api/v1/values/history?area=210726&period=2025-09'), 400, 'invalid', 'indicator');
});

test('POST /api/v1/values: bad bodies and keys are refused, nothing stored', async () => {
  cover('POST', '/api/v1/values');
  const n0 = (await auditAll()).length;
  assertError(await clerk.post('/api/v1/values'), 400, 'invalid');
  const badJson = await fetch(`${srv.url}/api/v1/values`, {
    method: 'POST', headers: clerk.headers, body: '{"figures": [',
  });
  assert.equal(badJson.status, 400);
  assertError(await clerk.post('/api/v1/values', {}), 400, 'invalid', 'figures');
  assertError(await clerk.post('/api/v1/values', { figures: {} }), 400, 'invalid', 'figures');
  assertError(await clerk.post('/api/v1/values', one('FAI', '210726', '2025-12')), 400, 'invalid', 'figures');
  assertError(await clerk.post('/api/v1/values', one('FAI', '210726', '2025-12', { value: '12,3' })), 400, 'invalid', 'figures');
  let r = await clerk.post('/api/v1/values', one('NOPE', '210726', '2025-12', { value: 1 }));
  assertError(r, 404, 'not_found', 'indicator');
  assert.match(r.json.error.message, /NOPE/);
  assertError(await clerk.post('/api/v1/values', one('FAI', '999999', '2025-12', { value: 1 })), 404, 'not_found', 'area');
  r = await clerk.post('/api/v1/values', one('FAI', '210726', '2025-13', { value: 1 }));
  assertError(r, 400, 'invalid', 'period');
  r = await clerk.post('/api/v1/values', one('FAI', '210726', '2025-Q4', { value: 1 }));
  assertError(r, 400, 'invalid', 'period');
  assert.match(r.json.error.message, /FAI/);
  // A derived indicator has no figures of its own.
  r = await admin.post('/api/v1/values', one('GDP_PC', '210726', '2025-Q4', { value: 1 }));
  assertError(r, 400, 'invalid');
  assert.equal(await figure('FAI', '210726', '2025-12'), undefined);
  assert.equal((await auditAll()).length, n0, 'no audit entry for a refused write');
});

test('the workflow: enter, submit, return, approve, reopen, with the state after each step', async () => {
  cover('POST', '/api/v1/values/{step}');
  const F = ['FAI', '210726', '2025-11'];
  const body = (extra) => one(...F, extra);
  const state = async () => (await figure(...F))?.state;
  const ok = async (c, path, b, want) => {
    const r = await c.post(path, b);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.deepEqual(r.json, { done: 1 });
    assert.equal(await state(), want, `after ${path}`);
    return r;
  };
  const refused = async (c, path, b, status, code) => {
    const n0 = (await auditAll()).length;
    const before = await figure(...F);
    const r = await c.post(path, b);
    assertError(r, status, code, 'figures');
    assert.deepEqual(await figure(...F), before, `${path} changed nothing`);
    assert.equal((await auditAll()).length, n0, `${path} audited nothing`);
    return r;
  };

  assertError(await reviewer.post('/api/v1/values/approve', body()), 404, 'not_found');
  await ok(clerk, '/api/v1/values', body({ value: 10, comment: 'first' }), 'draft');
  assert.equal((await figure(...F)).value, 10);
  assert.equal((await figure(...F)).sample, false);
  await ok(clerk, '/api/v1/values', body({ value: 11 }), 'draft');
  assert.equal((await figure(...F)).value, 11);
  await refused(reviewer, '/api/v1/values/approve', body(), 409, 'conflict');
  await refused(leader, '/api/v1/values/reopen', body({ reason: 'x' }), 409, 'conflict');
  await ok(clerk, '/api/v1/values/submit', body(), 'submitted');
  let r = await refused(clerk, '/api/v1/values', body({ value: 12 }), 409, 'conflict');
  assert.match(r.json.error.message, /returned/);
  await refused(clerk, '/api/v1/values/submit', body(), 409, 'conflict');
  await refused(reviewer, '/api/v1/values/return', body(), 400, 'invalid');
  await refused(reviewer, '/api/v1/values/return', { figures: [{ indicator: F[0], area: F[1], period: F[2] }], reason: '' }, 400, 'invalid');
  await ok(reviewer, '/api/v1/values/return', { ...body(), reason: 'check the county total' }, 'returned');
  await refused(reviewer, '/api/v1/values/approve', body(), 409, 'conflict');
  await ok(clerk, '/api/v1/values', body({ value: 12 }), 'draft');
  await ok(clerk, '/api/v1/values/submit', body(), 'submitted');
  await ok(reviewer, '/api/v1/values/approve', body(), 'approved');
  r = await refused(clerk, '/api/v1/values', body({ value: 13 }), 409, 'conflict');
  assert.match(r.json.error.message, /reopened/);
  await refused(reviewer, '/api/v1/values/approve', body(), 409, 'conflict');
  await refused(reviewer, '/api/v1/values/return', { ...body(), reason: 'late' }, 409, 'conflict');
  await refused(leader, '/api/v1/values/reopen', body(), 400, 'invalid');
  await ok(leader, '/api/v1/values/reopen', { ...body(), reason: 'the bureau revised it' }, 'draft');
  assert.equal((await figure(...F)).value, 12, 'a reopened figure keeps its value');
  // Entering null removes a draft.
  await ok(clerk, '/api/v1/values', body({ value: null }), undefined);

  // An unknown step, and enter spelled as a step, are 404.
  assertError(await clerk.post('/api/v1/values/publish', body()), 404, 'not_found');
  assertError(await clerk.post('/api/v1/values/enter', body({ value: 1 })), 404, 'not_found');
});

test('a batch stops at the first refused figure; those before it stay done', async () => {
  const A = ['FAI', '210727', '2025-11'], B = ['FAI', '210727', '2025-12'];
  assert.equal((await clerk.post('/api/v1/values', one(...B, { value: 3 }))).status, 200);
  assert.equal((await clerk.post('/api/v1/values/submit', one(...B))).status, 200);
  const r = await clerk.post('/api/v1/values', {
    figures: [{ indicator: A[0], area: A[1], period: A[2], value: 7 },
      { indicator: B[0], area: B[1], period: B[2], value: 4 }],
  });
  assertError(r, 409, 'conflict', 'figures');
  assert.match(r.json.error.message, /figures\[1\]/);
  assert.match(r.json.error.message, /1 done before it/);
  assert.equal((await figure(...A)).value, 7);
  assert.equal((await figure(...B)).value, 3);
  assert.equal((await figure(...B)).state, 'submitted');
});

test('GET /api/v1/values/history: every change with actor and states', async () => {
  cover('GET', '/api/v1/values/history');
  const F = ['FAI', '210781', '2025-10'];
  const steps = [
    [clerk, '/api/v1/values', { value: 5, comment: 'from the county' }],
    [clerk, '/api/v1/values', { value: 6 }],
    [clerk, '/api/v1/values/submit', {}],
    [reviewer, '/api/v1/values/return', {}, 'too low'],
    [clerk, '/api/v1/values/submit', {}],
    [reviewer, '/api/v1/values/approve', {}],
    [leader, '/api/v1/values/reopen', {}, 'revised'],
  ];
  for (const [c, path, extra, reason] of steps) {
    const r = await c.post(path, { ...one(...F, extra), ...(reason ? { reason } : {}) });
    assert.equal(r.status, 200, `${path}: ${r.text}`);
  }
  const r = await clerk.get(`/api/v1/values/history?indicator=${F[0]}&area=${F[1]}&period=${F[2]}`);
  assert.equal(r.status, 200);
  const h = r.json.items;
  assert.equal(h.length, steps.length, JSON.stringify(h));
  for (const x of h)
    assert.deepEqual(Object.keys(x).sort(), ['actor', 'after', 'at', 'before', 'change', 'comment', 'state_after',
      'state_before', 'what']);
  assert.deepEqual(h.map((x) => x.actor), ['clerk', 'clerk', 'clerk', 'reviewer', 'clerk', 'reviewer', 'leader']);
  assert.deepEqual(h.map((x) => x.state_after),
    ['draft', 'draft', 'submitted', 'returned', 'submitted', 'approved', 'draft']);
  assert.deepEqual(h.slice(1).map((x) => x.state_before),
    ['draft', 'draft', 'submitted', 'returned', 'submitted', 'approved']);
  assert.deepEqual(h.map((x) => x.after), [5, 6, 6, 6, 6, 6, 6]);
  assert.deepEqual(h.map((x) => x.before), [null, 5, 6, 6, 6, 6, 6]);
  assert.equal(h[0].comment, 'from the county');
  assert.equal(h[3].comment, 'too low');
  assert.equal(h[6].comment, 'revised');
  for (let k = 1; k < h.length; k++) {
    assert.ok(h[k].change > h[k - 1].change, 'changes in order');
    assert.ok(h[k].at >= h[k - 1].at);
  }
  assert.match(h[0].at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  // An imported figure has its import as history.
  const imp = await clerk.get('/api/v1/values/history?indicator=FAI&area=210726&period=2025-09');
  assert.equal(imp.status, 200);
  assert.ok(imp.json.items.length >= 1);
  // Errors: unknown indicator or area, bad period, a period of the wrong kind.
  assertError(await clerk.get('/api/v1/values/history?indicator=NOPE&area=210726&period=2025-09'), 404, 'not_found', 'indicator');
  assertError(await clerk.get('/api/v1/values/history?indicator=FAI&area=0&period=2025-09'), 404, 'not_found', 'area');
  assertError(await clerk.get('/api/v1/values/history?indicator=FAI&area=210726&period=x'), 400, 'invalid', 'period');
  assertError(await clerk.get('/api/v1/values/history?indicator=FAI&area=210726&period=2025'), 400, 'invalid', 'period');
  assertError(await clerk.get('/api/v1/values/history?indicator=FAI&area=210726'), 400, 'invalid', 'period');
  assertError(await anon.get('/api/v1/values/history?indicator=FAI&area=210726&period=2025-09'), 401, 'unauthorized');
});

// ---- the audit trail -----------------------------------------------------

test('GET /api/v1/audit: entries with hashes and the request id of the write', async () => {
  cover('GET', '/api/v1/audit');
  const F = ['FAI', '210702', '2025-10'];
  const w = await clerk.post('/api/v1/values', one(...F, { value: 42.5 }));
  assert.equal(w.status, 200);
  const rid = w.headers.get('x-request-id');
  assert.match(rid, /^[0-9a-f]+-[0-9a-f]+$/);
  const s = await clerk.post('/api/v1/values/submit', one(...F));
  const sid = s.headers.get('x-request-id');
  assert.notEqual(sid, rid);

  const items = await auditAll();
  assert.ok(items.length >= 3);
  for (const e of items) {
    for (const k of ['id', 'at', 'actor', 'action', 'object', 'hash'])
      assert.ok(e[k] !== undefined && e[k] !== null, `entry ${e.id} has ${k}`);
    assert.match(e.hash, /^[0-9a-f]{64}$/);
  }
  assert.equal(new Set(items.map((e) => e.hash)).size, items.length, 'hashes are distinct');
  items.forEach((e, k) => k && assert.ok(e.id > items[k - 1].id, 'oldest first'));
  const mine = items.filter((e) => e.request_id === rid);
  assert.equal(mine.length, 1, `one entry with request id ${rid}`);
  assert.equal(mine[0].actor, 'clerk');
  assert.equal(mine[0].action, 'set');
  assert.equal(mine[0].object, F.join('/'));
  assert.equal(mine[0].before, null);
  assert.deepEqual(JSON.parse(mine[0].after), { value: 42.5, state: 'draft', comment: null });
  const sub = items.filter((e) => e.request_id === sid);
  assert.equal(sub.length, 1);
  assert.equal(JSON.parse(sub[0].after).state, 'submitted');
  assert.equal(JSON.parse(sub[0].before).state, 'draft');

  // limit and from page the trail.
  const two = await leader.get('/api/v1/audit?limit=2');
  assert.deepEqual(two.json.items, items.slice(0, 2));
  const from = await leader.get(`/api/v1/audit?limit=2&from=${items[2].id}`);
  assert.deepEqual(from.json.items, items.slice(2, 4));
  assertError(await leader.get('/api/v1/audit?limit=0'), 400, 'invalid', 'limit');
  assertError(await clerk.get('/api/v1/audit'), 403, 'forbidden');
  assertError(await anon.get('/api/v1/audit'), 401, 'unauthorized');
});

test('GET /api/v1/audit honours offset as the other lists do', async () => {
  const items = await auditAll();
  const r = await leader.get('/api/v1/audit?limit=2&offset=1');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((e) => e.id), items.slice(1, 3).map((e) => e.id),
    'offset=1 skips the first entry');
});

// ---- targets, benchmarks, imports, exports ---------------------------------

test('GET /api/v1/targets and /benchmarks: filtered, paged lists', async () => {
  cover('GET', '/api/v1/targets');
  cover('GET', '/api/v1/benchmarks');
  const t = await anon.get('/api/v1/targets?indicator=FAI&area=210700&limit=2');
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.items.length, 2);
  assert.ok(t.json.total >= 5);
  for (const it of t.json.items) {
    assert.equal(it.indicator, 'FAI');
    assert.equal(it.area, '210700');
    assert.ok(['annual', 'plan'].includes(it.kind));
  }
  const b = await anon.get('/api/v1/benchmarks?indicator=FAI&limit=3&offset=1');
  assert.equal(b.status, 200, b.text);
  assert.equal(b.json.items.length, 3);
  assert.ok(b.json.items.every((x) => x.indicator === 'FAI' && ['growth', 'value'].includes(x.measure)));
  assertError(await anon.get('/api/v1/targets?indicator=NOPE'), 404, 'not_found', 'indicator');
});

test('targets come in one order on every store: by indicator, area, year and kind', async () => {
  // Pages are slices of that order: the same on SQLite and PostgreSQL.
  const all = [];
  for (let page; !page || page.length === 1000;) {
    page = (await anon.get(`/api/v1/targets?limit=1000&offset=${all.length}`)).json.items;
    all.push(...page);
  }
  assert.ok(all.length > 100, `${all.length} targets`);
  const runs = new Set();
  for (let k = 1; k < all.length; k++) {
    const [a, b] = [all[k - 1], all[k]];
    if (a.indicator !== b.indicator || a.area !== b.area) {
      runs.add(`${a.indicator} ${a.area}`);
      assert.ok(!runs.has(`${b.indicator} ${b.area}`), `${b.indicator} ${b.area} again at ${k}`);
    } else {
      assert.ok(a.year <= b.year, `${a.indicator} ${a.area}: ${a.year} before ${b.year}`);
    }
  }
  const page = (await anon.get('/api/v1/targets?limit=7&offset=40')).json.items;
  assert.deepEqual(page, all.slice(40, 47));
});

// The body of an import is the file itself, not JSON.
async function upload(who, query, text) {
  const res = await fetch(`${srv.url}/api/v1/imports${query}`, {
    method: 'POST', headers: who.headers, body: text,
  });
  return { status: res.status, json: await res.json() };
}

test('POST /api/v1/imports: all or nothing, errors name the file as sent', async () => {
  cover('POST', '/api/v1/imports');
  const bad = await upload(admin, '?name=mine.csv',
    'indicator,area,period,value\nFAI,210727,2026-03,9.75\nFAI,210727,2025-12,abc\n');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.n_errors, 1);
  assert.match(bad.json.errors[0], /^mine\.csv:3:4: column "value": "abc" is not a number$/);
  const none = await admin.get('/api/v1/values?indicator=FAI&area=210727&state=approved&limit=1000');
  assert.ok(!none.json.items.some((v) => v.period === '2026-03'), 'nothing of the bad file stored');
  const dry = await upload(admin, '?name=mine.csv&dry_run=1',
    'indicator,area,period,value\nFAI,210727,2026-03,9.75\n');
  assert.equal(dry.status, 200);
  assert.equal(dry.json.added, 1);
  assert.equal(dry.json.dry_run, true);
  const good = await upload(admin, '?name=mine.csv',
    'indicator,area,period,value\nFAI,210727,2026-03,9.75\n');
  assert.equal(good.status, 200);
  assert.equal(good.json.added, 1);
  const seen = await admin.get('/api/v1/values?indicator=FAI&area=210727&limit=1000');
  assert.ok(seen.json.items.some((v) => v.period === '2026-03' && v.value === 9.75));
  const refused = await upload(leader, '?name=x.csv', 'indicator,area,period,value\n');
  assert.equal(refused.status, 403);
});

test('GET /api/v1/exports/{kind}: CSV, SDMX-CSV, GB18030 for Excel', async () => {
  cover('GET', '/api/v1/exports/{kind}');
  const csv = await leader.get('/api/v1/exports/areas');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /^code,name,name_en,parent,kind\n210700,锦州市/);
  const sdmx = await leader.get('/api/v1/exports/values?format=sdmx');
  assert.match(sdmx.text, /^STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE/);
  const excel = await fetch(`${srv.url}/api/v1/exports/indicators?format=excel`, { headers: leader.headers });
  const bytes = Buffer.from(await excel.arrayBuffer());
  assert.equal(excel.status, 200);
  assert.match(excel.headers.get('content-type'), /gb18030/);
  assert.equal(new TextDecoder('gb18030').decode(bytes).split('\n')[0].split(',')[0], '代码');
  const xlsx = await fetch(`${srv.url}/api/v1/exports/values?format=xlsx`, { headers: leader.headers });
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK', 'a zip, as .xlsx files are');
  assertError(await leader.get('/api/v1/exports/nope'), 404, 'not_found');
  assertError(await leader.get('/api/v1/exports/areas?format=sdmx'), 400, 'invalid', 'format');
  assert.equal((await clerk.get('/api/v1/exports/areas')).status, 403);
});

// ---- every route has a test ------------------------------------------------

// ---- accounts -------------------------------------------------------------

test('GET /api/v1/users: the accounts, paged, without their passwords', async () => {
  cover('GET', '/api/v1/users');
  const r = await admin.get('/api/v1/users?limit=1000');
  assert.equal(r.status, 200, r.text);
  const clerkRow = r.json.items.find((u) => u.name === 'clerk');
  assert.deepEqual(clerkRow && Object.keys(clerkRow).sort(),
    ['area', 'created', 'department', 'disabled', 'locked', 'name', 'role', 'role_zh']);
  assert.deepEqual([clerkRow.role, clerkRow.role_zh, clerkRow.department, clerkRow.disabled], ['department', '填报员', 'FGW', false]);
  assert.ok(!r.text.includes('argon2'), 'no password hash leaves the server');
  const page = await admin.get('/api/v1/users?limit=2&offset=1');
  assert.deepEqual(page.json.items.map((u) => u.name), r.json.items.slice(1, 3).map((u) => u.name));
  assert.equal(page.json.total, r.json.total);
});

test('POST /api/v1/users: an account with a password made for it, shown once; it signs in', async () => {
  cover('POST', '/api/v1/users');
  const r = await admin.post('/api/v1/users', { name: 'wang', role: 'department', department: 'TJJ' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.name, 'wang');
  assert.equal(r.json.user.department, 'TJJ');
  assert.match(r.json.password, /^\S{16}$/);
  const res = await fetch(`${srv.url}/api/v1/login`, { method: 'POST', body: JSON.stringify({ name: 'wang', password: r.json.password }) });
  assert.equal(res.status, 200);
  assert.ok(!(await admin.get('/api/v1/users?limit=1000')).text.includes(r.json.password));
  // Errors name their field; nothing is added.
  assertError(await admin.post('/api/v1/users', { name: 'wang', role: 'leader' }), 409, 'exists', 'name');
  assertError(await admin.post('/api/v1/users', { name: 'li', role: 'boss' }), 400, 'invalid', 'role');
  assertError(await admin.post('/api/v1/users', { name: 'li', role: 'department', department: 'NOPE' }), 404, 'not_found', 'department');
  assertError(await admin.post('/api/v1/users', { role: 'leader' }), 400, 'invalid', 'name');
  assert.ok(!(await admin.get('/api/v1/users?limit=1000')).json.items.some((u) => u.name === 'li'));
});

test('POST /api/v1/users/{user}/{action}: disable ends the sessions, enable, a new password', async () => {
  cover('POST', '/api/v1/users/{user}/{action}');
  const made = await admin.post('/api/v1/users', { name: 'zhao', role: 'leader' });
  const login = async (password) => fetch(`${srv.url}/api/v1/login`, { method: 'POST', body: JSON.stringify({ name: 'zhao', password }) });
  const first = await login(made.json.password);
  const cookie = first.headers.get('set-cookie').split(';')[0];
  let r = await admin.post('/api/v1/users/zhao/disable');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.disabled, true);
  assert.equal(r.json.password, undefined);
  assert.equal((await fetch(`${srv.url}/api/v1/audit?limit=1`, { headers: { cookie } })).status, 401, 'its session ended');
  assert.equal((await login(made.json.password)).status, 403, 'a disabled account may not sign in');
  assert.equal((await admin.post('/api/v1/users/zhao/enable')).json.user.disabled, false);
  r = await admin.post('/api/v1/users/zhao/password');
  assert.match(r.json.password, /^\S{16}$/);
  assert.equal((await login(made.json.password)).status, 401, 'the old password no longer works');
  assert.equal((await login(r.json.password)).status, 200);
  assertError(await admin.post('/api/v1/users/zhao/promote'), 404, 'not_found');
  assertError(await admin.post('/api/v1/users/nobody/disable'), 404, 'not_found');
  assertError(await admin.post('/api/v1/users/admin/disable'), 409, 'conflict', 'name');
});

// The pipeline's, the task lists', the working-day calendar's, the
// requests' and Open311's routes have files of their own,
// projects.test.mjs, tasks.test.mjs, calendar.test.mjs,
// requests.test.mjs and open311.test.mjs, each checking
// that it calls all of its own.
const ELSEWHERE = /^\/(api\/v1\/(projects|programmes|task-lists|tasks|holidays|requests|services)|open311)(\/|$)/;

test('every route of the table is called by a test above', () => {
  const missing = ROUTES.filter((rt) => !ELSEWHERE.test(rt.pattern))
    .map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !covered.has(k));
  assert.deepEqual(missing, [], 'routes without a test in routes.test.mjs');
});
