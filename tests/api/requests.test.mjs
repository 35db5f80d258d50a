// The residents' requests over /api/v1 (issue 7, docs/requests.md): intake
// by the public and the hotline, moderation, the queue by role and
// department, a request as each caller sees it, the follow page by token,
// every step of the workflow as every caller, bulk dispatch, the rates,
// and the service catalogue.  Bad input (an unknown service, no location,
// a 10 MB description, a step the state forbids) gets the right error and
// changes nothing.  A second server with a low limit answers 429.  The
// last test fails when a requests or services route is called by no test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, routeTable, assertError, auditLength as auditOf } from './harness.mjs';

const ROUTES = routeTable().filter((rt) => /^\/api\/v1\/(requests|services)(\/|$)/.test(rt.pattern));
const covered = new Set();
const cover = (method, pattern) => covered.add(`${method} ${pattern}`);

let srv;
const as = {};
const CALLERS = ['anonymous', 'resident', 'clerk', 'other', 'reviewer', 'leader', 'admin'];

before(async () => {
  srv = await start({ env: { CIVSTAT_RATE_ADDRESS: '100000' } });
  as.anonymous = srv.anonymous();
  for (const who of CALLERS.slice(1)) as[who] = await srv.login(who);
});
after(async () => { await srv?.stop(); });

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;
const HEATING = {
  service: 'heating', description: '暖气不热，室温只有12度 (样例数据)',
  address: '锦州市古塔区北三里1号楼2单元', community: '北三里社区',
  contact: { name: '王女士', phone: '138-0000-0000', email: 'wang@example.cn' },
};

// Everything a refused write must leave as it was: the queue's counts as a
// reviewer sees them (held ones too) and the audit trail.
async function snapshot() {
  const r = await as.reviewer.get('/api/v1/requests?limit=1');
  assert.equal(r.status, 200, r.text);
  const held = await as.reviewer.get('/api/v1/requests?state=held&limit=1');
  return { counts: r.json.counts, held: held.json.total, audit: await auditOf(as.leader) };
}

async function submit(body = HEATING, who = 'anonymous') {
  const r = await as[who].post('/api/v1/requests', body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function step(who, id, name, body) {
  return as[who].post(`/api/v1/requests/${id}/${name}`, body);
}

// ---- the catalogue ------------------------------------------------------

test('GET /services: the public its public services, staff all of them', async () => {
  cover('GET', '/api/v1/services');
  const pub = await as.anonymous.get('/api/v1/services');
  assert.equal(pub.status, 200, pub.text);
  const heating = pub.json.items.find((s) => s.code === 'heating');
  assert.deepEqual({ ...heating, description: undefined, keywords: undefined, source: undefined }, {
    code: 'heating', name: '供暖', name_en: 'Heating', group: '城市管理', department: 'ZJJ',
    dispatch_days: 0, answer_days: 1, answer_hours: 24, public: true,
    description: undefined, keywords: undefined, source: undefined,
  });
  assert.ok(!pub.json.items.some((s) => s.code === 'petition'), 'internal services are the staff\'s');
  const staff = await as.clerk.get('/api/v1/services');
  assert.ok(staff.json.items.some((s) => s.code === 'petition' && s.public === false));
  assert.equal(staff.json.total, pub.json.total + 1);
});

test('POST /services: the admin puts services, all or nothing', async () => {
  cover('POST', '/api/v1/services');
  const svc = { code: 'snow', name: '除雪', name_en: 'Snow clearing', group: '城市管理', department: 'ZJJ',
    dispatch_days: 0, answer_days: 1, answer_hours: 0, keywords: '积雪', description: '道路积雪 (样例数据)',
    public: true, source: 'sample' };
  const before = await snapshot();
  for (const who of ['anonymous', 'resident', 'clerk', 'reviewer', 'leader']) {
    const r = await as[who].post('/api/v1/services', { services: [svc] });
    assertError(r, who === 'anonymous' ? 401 : 403, who === 'anonymous' ? 'unauthorized' : 'forbidden');
  }
  assertError(await as.admin.post('/api/v1/services', { services: [] }), 400, 'invalid', 'services');
  assertError(await as.admin.post('/api/v1/services', { services: [svc, { ...svc, code: 'x', department: 'NOPE' }] }),
    400, 'invalid', 'services[1].department');
  assertError(await as.admin.post('/api/v1/services', { services: [{ ...svc, answer_days: 'ten' }] }),
    400, 'invalid', 'services[0].answer_days');
  assertError(await as.admin.post('/api/v1/services', { services: [svc, svc] }), 400, 'invalid', 'services[1].code');
  assert.deepEqual(await snapshot(), before, 'refused bodies store nothing');
  assert.ok(!(await as.anonymous.get('/api/v1/services')).json.items.some((s) => s.code === 'snow'));
  const ok = await as.admin.post('/api/v1/services', { services: [svc] });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { stored: 1 });
  assert.equal((await auditOf(as.leader)), before.audit + 1, 'audited');
  const got = (await as.anonymous.get('/api/v1/services')).json.items.find((s) => s.code === 'snow');
  assert.equal(got.name, '除雪');
  assert.equal(got.answer_days, 1);
});

// ---- intake ---------------------------------------------------------------

test('POST /requests: a resident\'s request, 201 with its id and follow token', async () => {
  cover('POST', '/api/v1/requests');
  const r = await as.anonymous.post('/api/v1/requests', HEATING);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['dispatch_due', 'id', 'received', 'state', 'state_zh', 'token']);
  assert.ok(Number.isInteger(r.json.id) && r.json.id > 0);
  assert.match(r.json.token, /^[0-9a-f]{32}$/);
  assert.equal(r.json.state, 'received');
  assert.equal(r.json.state_zh, '已受理');
  assert.match(r.json.received, ISO);
  assert.match(r.json.dispatch_due, ISO);
  const got = await as.reviewer.get(`/api/v1/requests/${r.json.id}`);
  assert.equal(got.json.channel, 'web');
  assert.deepEqual(got.json.contact, HEATING.contact);
  assert.equal(got.json.events[0].action, 'submit');
  assert.equal(got.json.events[0].actor, 'resident');
  // the hotline's staff: channel hotline and its own number
  const h = await as.reviewer.post('/api/v1/requests', { ...HEATING, ref: '12345-0001', area: '210702' });
  assert.equal(h.status, 201, h.text);
  const hot = await as.reviewer.get(`/api/v1/requests/${h.json.id}`);
  assert.equal(hot.json.channel, 'hotline');
  assert.equal(hot.json.ref, '12345-0001');
  assert.equal(hot.json.area, '210702');
  assert.equal(hot.json.events[0].actor, 'reviewer');
  // by coordinates, with photos
  const c = await submit({ service: 'roads', description: '井盖缺失 (样例数据)', lat: 41.1, lon: 121.13,
    media_urls: ['https://example.cn/a.jpg', 'https://example.cn/b.jpg'] });
  const road = await as.anonymous.get(`/api/v1/requests/${c.id}`);
  assert.deepEqual(road.json.media_urls, ['https://example.cn/a.jpg', 'https://example.cn/b.jpg']);
  assert.equal(road.json.lat, 41.1);
});

test('POST /requests: bad input names the field and stores nothing', async () => {
  const before = await snapshot();
  const bad = async (body, status, code, field, who = 'anonymous') =>
    assertError(await as[who].post('/api/v1/requests', body), status, code, field);
  await bad({ ...HEATING, service: 'teleport' }, 404, 'not_found', 'service');
  await bad({ ...HEATING, service: 'petition' }, 404, 'not_found', 'service'); // internal: staff only
  await bad({ ...HEATING, service: undefined }, 400, 'invalid', 'service');
  await bad({ ...HEATING, address: undefined }, 400, 'invalid', 'address');
  await bad({ ...HEATING, address: undefined, lat: 41.1 }, 400, 'invalid', 'lon');
  await bad({ ...HEATING, lat: 'north', lon: 1 }, 400, 'invalid', 'lat');
  await bad({ ...HEATING, lat: 95, lon: 121 }, 400, 'invalid', 'lat');
  await bad({ ...HEATING, description: '' }, 400, 'invalid', 'description');
  await bad({ ...HEATING, description: 'x'.repeat(4001) }, 400, 'invalid', 'description');
  await bad({ ...HEATING, area: '999999' }, 400, 'invalid', 'area');
  await bad({ ...HEATING, media_urls: ['ftp://x/y.jpg'] }, 400, 'invalid', 'media_urls');
  await bad({ ...HEATING, media_urls: Array(6).fill('https://example.cn/a.jpg') }, 400, 'invalid', 'media_urls');
  await bad({ ...HEATING, contact: { phone: 'call me' } }, 400, 'invalid', 'contact.phone');
  await bad({ ...HEATING, contact: 'me' }, 400, 'invalid', 'contact');
  await bad({ ...HEATING, channel: 'hotline' }, 400, 'invalid', 'channel');
  await bad({ ...HEATING, ref: '12345-9' }, 400, 'invalid', 'ref');
  await bad({ ...HEATING, channel: 'fax' }, 400, 'invalid', 'channel', 'reviewer');
  assertError(await as.anonymous.post('/api/v1/requests', [1, 2]), 400, 'invalid');
  // 10 MB: over the body's cap, refused before anything is read
  const big = await fetch(`${srv.url}/api/v1/requests`, {
    method: 'POST', body: JSON.stringify({ ...HEATING, description: 'x'.repeat(10 << 20) }),
  });
  assert.equal(big.status, 413);
  assert.equal((await big.json()).error.code, 'too_big');
  assert.deepEqual(await snapshot(), before, 'nothing stored, nothing audited');
});

test('moderation: a link holds a public request back; approve and reject', async () => {
  const before = await snapshot();
  const spam = await submit({ ...HEATING, description: '低价代办 http://spam.example 加微信' });
  assert.equal(spam.state, 'held');
  const long = await submit({ ...HEATING, address: '锦'.repeat(70) });
  assert.equal(long.state, 'held', 'an address over the soft limit is held');
  const staff = await submit({ ...HEATING, description: '见 https://gov.example/notice' }, 'reviewer');
  assert.equal(staff.state, 'received', 'staff are not moderated');
  const after = await snapshot();
  assert.equal(after.held, before.held + 2);
  assert.equal(after.counts.received, before.counts.received + 1, 'held ones are not in the queue');
  // the public does not see held requests; its own token does
  assertError(await as.anonymous.get(`/api/v1/requests/${spam.id}`), 404, 'not_found');
  assert.equal((await as.anonymous.get(`/api/v1/requests/track/${spam.token}`)).json.state, 'held');
  assertError(await as.clerk.get('/api/v1/requests?state=held'), 403, 'forbidden', 'state');
  for (const who of ['clerk', 'other'])
    assertError(await step(who, spam.id, 'approve'), 403, 'forbidden');
  const ok = await step('reviewer', long.id, 'approve');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.state, 'received');
  const no = await step('reviewer', spam.id, 'reject', { text: '广告 spam' });
  assert.equal(no.status, 200, no.text);
  assert.equal(no.json.state, 'closed');
  assert.equal(no.json.outcome, 'rejected');
  assertError(await as.anonymous.get(`/api/v1/requests/${spam.id}`), 404, 'not_found');
  assertError(await step('reviewer', spam.id, 'approve'), 409, 'conflict');
});

// ---- the queue --------------------------------------------------------------

test('GET /requests: staff only; a department its own; overdue first; counts', async () => {
  cover('GET', '/api/v1/requests');
  const a = await submit();
  const b = await submit({ ...HEATING, service: 'traffic', description: '信号灯配时不合理 (样例数据)' });
  assert.equal((await step('reviewer', a.id, 'dispatch', { department: 'FGW' })).status, 200);
  assert.equal((await step('reviewer', b.id, 'dispatch', { department: 'TJJ' })).status, 200);
  assertError(await as.anonymous.get('/api/v1/requests'), 401, 'unauthorized');
  assertError(await as.resident.get('/api/v1/requests'), 403, 'forbidden');
  const mine = await as.clerk.get('/api/v1/requests?limit=1000');
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.json.items.length > 0 && mine.json.items.every((q) => q.department === 'FGW'));
  assert.ok(mine.json.items.some((q) => q.id === a.id) && !mine.json.items.some((q) => q.id === b.id));
  assert.deepEqual(mine.json.items.find((q) => q.id === a.id).contact, HEATING.contact);
  const theirs = await as.other.get('/api/v1/requests?limit=1000');
  assert.ok(theirs.json.items.every((q) => q.department === 'TJJ'));
  assertError(await as.clerk.get('/api/v1/requests?department=TJJ'), 403, 'forbidden', 'department');
  assert.equal((await as.clerk.get('/api/v1/requests?department=FGW')).status, 200);
  for (const who of ['reviewer', 'leader', 'admin']) {
    const all = await as[who].get('/api/v1/requests?limit=1000');
    assert.equal(all.status, 200, all.text);
    assert.ok(all.json.items.some((q) => q.id === a.id) && all.json.items.some((q) => q.id === b.id), who);
    assert.ok(all.json.items.every((q) => q.state !== 'held'), 'held ones only when asked for');
    assert.deepEqual(Object.keys(all.json.counts).sort(),
      ['answered', 'closed', 'dispatched', 'held', 'in_progress', 'received']);
  }
  const r = await as.reviewer.get('/api/v1/requests?state=dispatched&service=traffic&limit=1000');
  assert.ok(r.json.items.length > 0 && r.json.items.every((q) => q.state === 'dispatched' && q.service === 'traffic'));
  assert.equal(r.json.total, r.json.items.length);
  assert.equal(r.json.counts.dispatched, r.json.total);
  // Received since 2026-11-28: after the demo's sample requests, which
  // hold closed traffic ones.
  const none = await as.reviewer.get('/api/v1/requests?state=closed&service=traffic&from=2026-11-28');
  assert.equal(none.json.total, 0);
  assert.ok(none.json.counts.dispatched >= 1, 'counts are by state, whatever the state asked');
  const bare = await as.reviewer.get('/api/v1/requests?state=dispatched&service=traffic&limit=1000&counts=0');
  assert.equal(bare.json.counts, null, 'counts=0: none counted');
  assert.deepEqual(bare.json.items, r.json.items);
  const page = await as.reviewer.get('/api/v1/requests?limit=1&offset=1&sort=received');
  assert.equal(page.json.items.length, 1);
  assert.equal(page.json.limit, 1);
  assert.equal(page.json.offset, 1);
  // overdue: none yet is past its deadline; the filter and the sort work
  const over = await as.reviewer.get('/api/v1/requests?overdue=1');
  assert.equal(over.status, 200, over.text);
  assert.ok(over.json.items.every((q) => q.overdue));
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const dated = await as.reviewer.get(`/api/v1/requests?from=${today}&to=${today}&limit=1000`);
  assert.ok(dated.json.items.some((q) => q.id === a.id));
  assert.equal((await as.reviewer.get('/api/v1/requests?to=2020-01-01')).json.total, 0);
  assertError(await as.reviewer.get('/api/v1/requests?state=lost'), 400, 'invalid', 'state');
  assertError(await as.reviewer.get('/api/v1/requests?from=yesterday'), 400, 'invalid', 'from');
  assertError(await as.reviewer.get('/api/v1/requests?sort=name'), 400, 'invalid', 'sort');
  assertError(await as.reviewer.get('/api/v1/requests?department=NOPE'), 404, 'not_found', 'department');
  assertError(await as.reviewer.get('/api/v1/requests?limit=0'), 400, 'invalid', 'limit');
});

// ---- one request ------------------------------------------------------------

const PUBLIC_FIELDS = ['accepted', 'address', 'answer', 'answer_due', 'answered', 'area', 'closed', 'community',
  'department', 'department_name', 'description', 'dispatch_due', 'dispatched', 'duplicate_of', 'events', 'followed',
  'id', 'lat', 'lon', 'media_urls', 'outcome', 'overdue', 'received', 'resolved', 'response_due', 'sample',
  'satisfaction', 'service', 'service_name', 'service_name_en', 'state', 'state_zh', 'updated'];

test('GET /requests/{id}: whole for who may see it, the public fields for the rest', async () => {
  cover('GET', '/api/v1/requests/{id}');
  const q = await submit();
  await step('reviewer', q.id, 'dispatch', { department: 'FGW' });
  await step('clerk', q.id, 'note', { text: '已电话联系 staff only' });
  for (const who of ['anonymous', 'resident', 'other']) {
    const r = await as[who].get(`/api/v1/requests/${q.id}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), PUBLIC_FIELDS, who);
    assert.doesNotMatch(r.text, /王女士|138-0000|wang@example|staff only|"actor"/, `${who} sees no contact, notes or actors`);
    assert.deepEqual(r.json.events.map((e) => e.action), ['submit', 'dispatch']);
  }
  for (const who of ['clerk', 'reviewer', 'leader', 'admin']) {
    const r = await as[who].get(`/api/v1/requests/${q.id}`);
    assert.deepEqual(r.json.contact, HEATING.contact, who);
    assert.match(r.json.token, /^[0-9a-f]{32}$/);
    assert.deepEqual(r.json.events.map((e) => e.action), ['submit', 'dispatch', 'note']);
    assert.equal(r.json.events[2].actor, 'clerk');
    assert.equal(r.json.events[2].text, '已电话联系 staff only');
    for (const e of r.json.events) assert.match(e.at, ISO);
  }
  const r = (await as.anonymous.get(`/api/v1/requests/${q.id}`)).json;
  assert.equal(r.state, 'dispatched');
  assert.equal(r.state_zh, '已派单');
  assert.equal(r.service_name, '供暖');
  assert.equal(r.department, 'FGW');
  assert.match(r.received, ISO);
  assert.match(r.answer_due, ISO);
  assertError(await as.anonymous.get('/api/v1/requests/999999'), 404, 'not_found', 'id');
  assertError(await as.anonymous.get('/api/v1/requests/abc'), 404, 'not_found', 'id');
});

test('GET /requests/track/{token}: the resident follows it, no contact', async () => {
  cover('GET', '/api/v1/requests/track/{token}');
  const q = await submit();
  const r = await as.anonymous.get(`/api/v1/requests/track/${q.token}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, q.id);
  assert.deepEqual(Object.keys(r.json).sort(), PUBLIC_FIELDS);
  assert.doesNotMatch(r.text, /王女士|138-0000/);
  assertError(await as.anonymous.get(`/api/v1/requests/track/${'0'.repeat(32)}`), 404, 'not_found', 'token');
  assertError(await as.anonymous.get('/api/v1/requests/track/short'), 404, 'not_found', 'token');
});

// ---- the workflow -------------------------------------------------------------

test('POST /requests/{id}/{step}: the whole way, each step as every caller', async () => {
  cover('POST', '/api/v1/requests/{id}/{step}');
  const q = await submit();
  // who may take which step, tried on a request in the state it needs
  const refused = async (name, body, allowedWho) => {
    for (const who of CALLERS.filter((w) => !allowedWho.includes(w))) {
      const before = await snapshot();
      const r = await step(who, q.id, name, body);
      assert.ok([401, 403].includes(r.status), `${who} ${name}: ${r.status} ${r.text}`);
      assert.deepEqual(await snapshot(), before, `${who} ${name} changes nothing`);
    }
  };
  await refused('dispatch', { department: 'FGW' }, ['reviewer', 'leader', 'admin']);
  let r = await step('reviewer', q.id, 'dispatch', { department: 'FGW' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'dispatched');
  assert.match(r.json.dispatched, ISO);
  await refused('accept', undefined, ['clerk', 'reviewer', 'leader', 'admin']);
  // a wrong dispatch goes back with a reason
  assertError(await step('clerk', q.id, 'return', {}), 400, 'invalid', 'text');
  r = await step('clerk', q.id, 'return', { text: '不属于本单位职责' });
  assert.equal(r.json.state, 'received');
  r = await step('reviewer', q.id, 'dispatch', { department: 'FGW' });
  r = await step('clerk', q.id, 'accept');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'in_progress');
  assertError(await step('reviewer', q.id, 'followup', { resolved: true, satisfaction: 'satisfied' }), 409, 'conflict');
  await refused('answer', { text: '已修复' }, ['clerk', 'reviewer', 'leader', 'admin']);
  r = await step('clerk', q.id, 'answer', { text: '已联系供热公司，室温恢复至20度' });
  assert.equal(r.json.state, 'answered');
  assert.equal(r.json.answer, '已联系供热公司，室温恢复至20度');
  await refused('followup', { resolved: true, satisfaction: 'satisfied' }, ['reviewer', 'leader', 'admin']);
  assertError(await step('reviewer', q.id, 'followup', { resolved: true, satisfaction: 'happy' }), 400, 'invalid', 'satisfaction');
  assertError(await step('reviewer', q.id, 'followup', { resolved: 'yes' }), 400, 'invalid', 'resolved');
  r = await step('reviewer', q.id, 'followup', { resolved: true, satisfaction: '基本满意' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'closed');
  assert.equal(r.json.outcome, 'followed');
  assert.equal(r.json.resolved, true);
  assert.equal(r.json.satisfaction, 'basic');
  // a jump the workflow forbids: 409, nothing changes
  const before = await snapshot();
  for (const [name, body] of [['answer', { text: 'x' }], ['accept'], ['followup', { resolved: true, satisfaction: 'satisfied' }],
    ['dispatch', { department: 'FGW' }], ['approve']]) {
    assertError(await step('admin', q.id, name, body), 409, 'conflict');
  }
  assert.deepEqual(await snapshot(), before);
  r = await step('reviewer', q.id, 'reopen', { text: '回访不满意，重办' });
  assert.equal(r.json.state, 'dispatched');
  assert.equal(r.json.reopened, 1);
  await refused('supervise', { text: '请加快办理' }, ['leader', 'admin']);
  r = await step('leader', q.id, 'supervise', { text: '请加快办理' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.supervised, 1);
  const events = r.json.events.map((e) => e.action);
  assert.deepEqual(events, ['submit', 'dispatch', 'return', 'dispatch', 'accept', 'answer', 'followup', 'reopen', 'supervise']);
  // duplicates are closed and linked
  const d = await submit();
  r = await step('reviewer', d.id, 'duplicate', { duplicate_of: q.id });
  assert.equal(r.json.outcome, 'duplicate');
  assert.equal(r.json.duplicate_of, q.id);
  assertError(await step('reviewer', d.id, 'nap'), 404, 'not_found', 'step');
  assertError(await step('reviewer', 999999, 'accept'), 404, 'not_found');
  assertError(await step('reviewer', q.id, 'dispatch', { department: 'NOPE' }), 404, 'not_found', 'department');
});

test('POST /requests/dispatch: many at once, all or none', async () => {
  cover('POST', '/api/v1/requests/dispatch');
  const a = await submit(), b = await submit(), closed = await submit();
  await step('reviewer', closed.id, 'duplicate', { duplicate_of: a.id });
  for (const who of ['anonymous', 'resident', 'clerk', 'other'])
    assert.ok([401, 403].includes((await as[who].post('/api/v1/requests/dispatch', { ids: [a.id], department: 'FGW' })).status));
  const before = await snapshot();
  assertError(await as.reviewer.post('/api/v1/requests/dispatch', { ids: [a.id, b.id, closed.id], department: 'TJJ' }), 409, 'conflict');
  assertError(await as.reviewer.post('/api/v1/requests/dispatch', { ids: [a.id, 'b'], department: 'TJJ' }), 400, 'invalid', 'ids');
  assertError(await as.reviewer.post('/api/v1/requests/dispatch', { ids: [], department: 'TJJ' }), 400, 'invalid', 'ids');
  assertError(await as.reviewer.post('/api/v1/requests/dispatch', { ids: [a.id] }), 400, 'invalid', 'department');
  assert.deepEqual(await snapshot(), before, 'none dispatched');
  const r = await as.reviewer.post('/api/v1/requests/dispatch', { ids: [a.id, b.id], department: 'TJJ' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { dispatched: 2, department: 'TJJ' });
  for (const id of [a.id, b.id])
    assert.equal((await as.other.get(`/api/v1/requests/${id}`)).json.department, 'TJJ');
});

// ---- the rates -------------------------------------------------------------------

test('GET /requests/stats: rates with numerator and denominator', async () => {
  cover('GET', '/api/v1/requests/stats');
  const now = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  const stats = async () => (await as.reviewer.get(`/api/v1/requests/stats?from=${now}&to=${now}&by=department`))
    .json.items.find((i) => i.key === 'TJJ');
  const was = await stats();
  const q = await submit();
  await step('reviewer', q.id, 'dispatch', { department: 'TJJ' });
  await step('other', q.id, 'accept');
  await step('other', q.id, 'answer', { text: '已处理' });
  assert.equal((await step('reviewer', q.id, 'followup', { resolved: true, satisfaction: 'satisfied' })).status, 200);
  const r = await as.reviewer.get(`/api/v1/requests/stats?from=${now}&to=${now}&by=department`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.by, 'department');
  const tjj = r.json.items.find((i) => i.key === 'TJJ');
  assert.ok(tjj, r.text);
  assert.deepEqual(Object.keys(tjj.rates).sort(), ['on_time', 'reopen', 'resolution', 'response', 'satisfaction']);
  const res = tjj.rates.resolution;
  assert.equal(res.num, (was?.rates.resolution.num ?? 0) + 1);
  assert.equal(res.den, (was?.rates.resolution.den ?? 0) + 1);
  assert.equal(res.rate, 100 * res.num / res.den);
  assert.equal(tjj.counts.followed, (was?.counts.followed ?? 0) + 1);
  assert.equal(typeof tjj.open, 'number');
  // a clerk: its own department's only; the public: the city's rows
  const mine = await as.other.get(`/api/v1/requests/stats?from=${now}&to=${now}&by=department`);
  assert.ok(mine.json.items.length && mine.json.items.every((i) => i.key === 'TJJ'), mine.text);
  assertError(await as.clerk.get('/api/v1/requests/stats?department=TJJ'), 403, 'forbidden', 'department');
  assertError(await as.anonymous.get('/api/v1/requests/stats?by=department'), 401, 'unauthorized', 'department');
  const pub = await as.anonymous.get(`/api/v1/requests/stats?from=${now}&to=${now}&by=month`);
  assert.equal(pub.status, 200, pub.text);
  assert.ok(pub.json.items.some((i) => i.key === now));
  const city = await as.anonymous.get(`/api/v1/requests/stats?from=${now}&to=${now}`);
  assert.equal(city.json.items.length, 1);
  assert.ok(city.json.items[0].counts.received >= 10);
  assertError(await as.reviewer.get('/api/v1/requests/stats?from=2026-13'), 400, 'invalid', 'from');
  assertError(await as.reviewer.get('/api/v1/requests/stats?from=2026-05&to=2026-04'), 400, 'invalid', 'from');
  assertError(await as.reviewer.get('/api/v1/requests/stats?by=colour'), 400, 'invalid', 'by');
});

// ---- the settings ----------------------------------------------------------------

test('GET and POST /requests/settings: the admin\'s, all or nothing, at once', async () => {
  cover('GET', '/api/v1/requests/settings');
  cover('POST', '/api/v1/requests/settings');
  for (const who of ['anonymous', 'resident', 'clerk', 'reviewer', 'leader']) {
    const want = who === 'anonymous' ? 401 : 403;
    assert.equal((await as[who].get('/api/v1/requests/settings')).status, want, who);
    assert.equal((await as[who].post('/api/v1/requests/settings', { 'request.hold_words': 'x' })).status, want, who);
  }
  const was = await as.admin.get('/api/v1/requests/settings');
  assert.equal(was.status, 200, was.text);
  assert.deepEqual(Object.keys(was.json.settings).sort(), ['request.hold_words', 'request.rate_address',
    'request.rate_key', 'request.response_days', 'request.satisfaction']);
  const before = await snapshot();
  const bad = async (body, field) =>
    assertError(await as.admin.post('/api/v1/requests/settings', body), 400, 'invalid', field);
  await bad({ 'request.hold_words': '代办', 'request.colour': 'red' }, 'request.colour');
  await bad({ 'request.hold_words': '代办', 'request.rate_key': -1 }, 'request.rate_key');
  await bad({ 'request.response_days': 'soon' }, 'request.response_days');
  await bad({ 'request.satisfaction': 'happy' }, 'request.satisfaction');
  await bad({ 'request.hold_words': 'x'.repeat(5000) }, 'request.hold_words');
  assert.deepEqual(await snapshot(), before, 'nothing set, nothing audited');
  assert.deepEqual((await as.admin.get('/api/v1/requests/settings')).json, was.json);
  // hold words: a public submission holding one waits for a moderator
  const ok = await as.admin.post('/api/v1/requests/settings', { 'request.hold_words': '代办，发票 刷单' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.settings['request.hold_words'], '代办，发票 刷单');
  assert.equal(await auditOf(as.leader), before.audit + 1, 'audited');
  assert.equal((await submit({ ...HEATING, description: '专业代办房产证 (样例数据)' })).state, 'held');
  assert.equal((await submit({ ...HEATING, description: '开发票 (样例数据)' })).state, 'held');
  assert.equal((await submit()).state, 'received');
  await as.admin.post('/api/v1/requests/settings', { 'request.hold_words': '' });
  assert.equal((await submit({ ...HEATING, description: '专业代办房产证 (样例数据)' })).state, 'received');
});

// ---- rate limits ------------------------------------------------------------------

test('the public is limited per address: 429 with Retry-After, nothing stored', async () => {
  const small = await start({ env: { CIVSTAT_RATE_ADDRESS: '3' } });
  try {
    const anon = small.anonymous();
    const staff = await small.login('reviewer');
    const was = (await staff.get('/api/v1/requests?counts=0')).json.total;
    for (let k = 0; k < 3; k++) assert.equal((await anon.post('/api/v1/requests', HEATING)).status, 201);
    const r = await anon.post('/api/v1/requests', HEATING);
    assert.equal(r.status, 429, r.text);
    assert.equal(r.json.error.code, 'rate_limited');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.equal((await staff.post('/api/v1/requests', HEATING)).status, 201, 'staff are not limited');
    assert.equal((await staff.get('/api/v1/requests?counts=0')).json.total, was + 4, 'the refused one is not stored');
    // the admin raises the limit while the server runs
    const admin = await small.login('admin');
    const set = await admin.post('/api/v1/requests/settings', { 'request.rate_address': 1000 });
    assert.equal(set.status, 200, set.text);
    assert.equal((await anon.post('/api/v1/requests', HEATING)).status, 201);
  } finally {
    await small.stop();
  }
});

test('every requests and services route is called by a test above', () => {
  const missing = ROUTES.map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !covered.has(k));
  assert.deepEqual(missing, []);
});
