// Open311 GeoReport v2: the service list in JSON and XML equals the demo
// catalogue's public services (data/demo/services.csv, the internal 信访转办
// left out), with the spec's field and element names; the discovery
// document; a format we do not speak gets the spec's error list.  Then the
// spec's walk: POST requests (a form with an api_key), requests/{id},
// tokens/{token}, GET requests with its filters, each in JSON and XML, never
// a contact detail; bad keys and bad fields refused in the spec's error
// list with nothing stored; the per-key limit's 429.  The last test fails when an /open311 route is called by no
// test here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, routeTable, TOP, civstat } from './harness.mjs';

const ROUTES = routeTable().filter((rt) => rt.pattern.startsWith('/open311/'));
const covered = new Set();
const cover = (method, pattern) => covered.add(`${method} ${pattern}`);

let srv;
let anon, reviewer, KEY;
before(async () => {
  srv = await start({ env: { CIVSTAT_RATE_ADDRESS: '100000' } });
  anon = srv.anonymous();
  reviewer = await srv.login('reviewer');
  KEY = apiKey(srv, 'resident');
});

// An API token of a civstat account: an Open311 client's api_key.
function apiKey(server, name) {
  return civstat(['user', 'token', name, '--db', server.db, '--label', 'fixapp']).trim().split('\n').at(-1);
}
after(async () => { await srv?.stop(); });

// The demo's services.csv, by code: quoted fields hold commas.
function demoServices() {
  const lines = readFileSync(join(TOP, 'data/demo/services.csv'), 'utf8').trim().split('\n');
  const split = (l) => [...l.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)]
    .slice(0, -1).map((m) => (m[2] !== undefined ? m[2] : m[1]));
  const head = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, k) => [head[k], v])));
}

const SPEC_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];

test('services.json: the demo\'s public services with the spec\'s fields', async () => {
  cover('GET', '/open311/v2/services.{format}');
  const r = await anon.get('/open311/v2/services.json');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const demo = demoServices();
  const pub = demo.filter((s) => s.public === '1');
  assert.ok(pub.length < demo.length, 'the demo has an internal service to leave out');
  assert.deepEqual(r.json.map((s) => s.service_code).sort(), pub.map((s) => s.code).sort());
  for (const s of r.json) assert.deepEqual(Object.keys(s).sort(), [...SPEC_FIELDS].sort());
  const heating = r.json.find((s) => s.service_code === 'heating');
  assert.equal(heating.service_name, '供暖');
  assert.equal(heating.group, '城市管理');
  assert.equal(heating.metadata, false);
  assert.equal(heating.type, 'realtime');
  assert.match(heating.keywords, /暖气/);
  for (const name of ['供暖', '回迁', '办证', '交通拥堵', '物业管理'])
    assert.ok(r.json.some((s) => s.service_name === name), name);
  assert.ok(!r.json.some((s) => s.service_code === 'petition'), 'internal services are not listed');
});

test('services.xml: <services><service> with the spec\'s elements', async () => {
  const r = await anon.get('/open311/v2/services.xml');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/xml/);
  assert.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?>\s*<services>/);
  assert.match(r.text, /<\/services>\s*$/);
  const items = [...r.text.matchAll(/<service>(.*?)<\/service>/gs)].map((m) => m[1]);
  const json = (await anon.get('/open311/v2/services.json')).json;
  assert.equal(items.length, json.length);
  for (const [k, body] of items.entries()) {
    const names = [...body.matchAll(/<(\w+)>/g)].map((m) => m[1]);
    assert.deepEqual(names, SPEC_FIELDS);
    const text = (el) => body.match(new RegExp(`<${el}>(.*?)</${el}>`, 's'))[1];
    assert.equal(text('service_code'), json[k].service_code);
    assert.equal(text('service_name'), json[k].service_name);
    assert.equal(text('metadata'), 'false');
  }
  assert.doesNotMatch(r.text.replace(/&(amp|lt|gt|quot|apos);/g, ''), /&/, 'text is escaped');
});

test('discovery.json and .xml: the GeoReport v2 endpoint', async () => {
  cover('GET', '/open311/v2/discovery.{format}');
  const r = await anon.get('/open311/v2/discovery.json');
  assert.equal(r.status, 200, r.text);
  const d = r.json;
  for (const k of ['changeset', 'contact', 'key_service', 'endpoints']) assert.ok(k in d, k);
  assert.match(d.changeset, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(d.endpoints.length, 1);
  const e = d.endpoints[0];
  assert.equal(e.specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.equal(e.type, 'production');
  assert.deepEqual(e.formats.sort(), ['application/json', 'text/xml']);
  assert.match(e.url, /^http:\/\/[^/]+\/open311\/v2$/);
  // The URL it gives answers.
  const host = new URL(srv.url).host;
  assert.equal(e.url, `http://${host}/open311/v2`);
  assert.equal((await fetch(`${e.url}/services.json`)).status, 200);
  const x = await anon.get('/open311/v2/discovery.xml');
  assert.equal(x.status, 200, x.text);
  assert.match(x.text, /<discovery><changeset>[^<]+<\/changeset><contact>/);
  assert.match(x.text, /<endpoints><endpoint><specification>http:\/\/wiki\.open311\.org\/GeoReport_v2<\/specification>/);
  assert.match(x.text, /<formats><format>application\/json<\/format><format>text\/xml<\/format><\/formats>/);
});

test('a format not spoken: the spec\'s 404 error list, nothing else', async () => {
  for (const path of ['/open311/v2/services.yaml', '/open311/v2/discovery.csv',
    '/open311/v2/services.', '/open311/v2/requests/x/y.json']) {
    const r = await anon.get(path);
    assert.equal(r.status, 404, `${path}: ${r.text}`);
    assert.ok(Array.isArray(r.json), `${path}: ${r.text}`);
    assert.equal(r.json.length, 1);
    assert.deepEqual(Object.keys(r.json[0]).sort(), ['code', 'description']);
    assert.equal(r.json[0].code, 404);
  }
  assert.match((await anon.get('/open311/v2/services.yaml')).json[0].description, /yaml/);
  // Read-only: a POST is refused.
  assert.equal((await anon.post('/open311/v2/services.json', {})).status, 405);
});

// ---- requests: the spec's examples, walked ---------------------------------

const REQUEST_FIELDS = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code',
  'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime',
  'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url', 'civstat_state'];
const W3 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

// POST requests.{format} as the spec sends it: a form.
async function postForm(server, format, fields) {
  const res = await fetch(`${server.url}/open311/v2/requests.${format}`, {
    method: 'POST', body: new URLSearchParams(fields),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* XML */ }
  return { status: res.status, headers: res.headers, text, json };
}

const FORM = () => ({
  api_key: KEY, service_code: 'property', lat: '41.1194', long: '121.1273',
  address_string: '锦州市太和区解放路三段8号', description: '小区电梯停运三天，物业不予维修 (样例数据)',
  first_name: '李', last_name: '雷', phone: '13900000000', email: 'lilei@example.cn',
  media_url: 'https://example.cn/lift.jpg', device_id: 'phone-1', account_id: '',
});

// Every request the staff's queue holds, held ones too: a refused POST
// must leave it as it was.
async function stored() {
  const all = await reviewer.get('/api/v1/requests?limit=1');
  const held = await reviewer.get('/api/v1/requests?state=held&limit=1');
  return all.json.total + held.json.total;
}

test('POST requests.json, then requests/{id}.json and tokens/{token}.json: the spec\'s walk', async () => {
  cover('POST', '/open311/v2/requests.{format}');
  cover('GET', '/open311/v2/requests/{request_file}');
  cover('GET', '/open311/v2/tokens/{token_file}');
  const form = FORM();
  const p = await postForm(srv, 'json', form);
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.length, 1);
  assert.deepEqual(Object.keys(p.json[0]).sort(), ['account_id', 'service_notice', 'service_request_id', 'token']);
  const id = p.json[0].service_request_id;
  assert.match(id, /^\d+$/);
  assert.match(p.json[0].token, /^[0-9a-f]{32}$/);
  assert.match(p.json[0].service_notice, /已受理/);
  const g = await anon.get(`/open311/v2/requests/${id}.json`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.length, 1);
  const q = g.json[0];
  assert.deepEqual(Object.keys(q), REQUEST_FIELDS);
  assert.equal(q.service_request_id, id);
  assert.equal(q.status, 'open');
  assert.equal(q.civstat_state, 'received');
  assert.equal(q.status_notes, '已受理 / received');
  assert.equal(q.service_code, 'property');
  assert.equal(q.service_name, '物业管理');
  assert.equal(q.description, form.description);
  assert.equal(q.address, form.address_string);
  assert.equal(q.lat, 41.1194);
  assert.equal(q.long, 121.1273);
  assert.equal(q.media_url, form.media_url);
  assert.match(q.requested_datetime, W3);
  assert.match(q.expected_datetime, W3);
  assert.doesNotMatch(g.text, /13900000000|lilei@example|李 雷|李雷/, 'never the contact');
  // the staff see who sent it, and how
  const staff = await reviewer.get(`/api/v1/requests/${id}`);
  assert.equal(staff.json.channel, 'open311');
  assert.equal(staff.json.contact.name, '李 雷');
  assert.equal(staff.json.contact.phone, '13900000000');
  assert.equal(staff.json.events[0].actor, 'open311:resident');
  // the token names the request
  const t = await anon.get(`/open311/v2/tokens/${p.json[0].token}.json`);
  assert.equal(t.status, 200, t.text);
  assert.deepEqual(t.json, [{ service_request_id: id, token: p.json[0].token }]);
  // dispatched, answered, followed up: the agency, the notes, closed
  await reviewer.post(`/api/v1/requests/${id}/dispatch`, { department: 'ZJJ' });
  let s = (await anon.get(`/open311/v2/requests/${id}.json`)).json[0];
  assert.equal(s.status, 'open');
  assert.equal(s.status_notes, '已派单 / dispatched');
  assert.equal(s.agency_responsible, '市住房和城乡建设局');
  await reviewer.post(`/api/v1/requests/${id}/answer`, { text: '已督促物业修复电梯' });
  await reviewer.post(`/api/v1/requests/${id}/followup`, { resolved: true, satisfaction: 'satisfied' });
  s = (await anon.get(`/open311/v2/requests/${id}.json`)).json[0];
  assert.equal(s.status, 'closed');
  assert.equal(s.civstat_state, 'closed');
  assert.equal(s.status_notes, '已关闭 / closed: 已督促物业修复电梯');
  assert.equal(s.expected_datetime, null);
  // the XML forms say the same
  const x = await anon.get(`/open311/v2/requests/${id}.xml`);
  assert.equal(x.status, 200, x.text);
  assert.match(x.headers.get('content-type'), /^text\/xml/);
  assert.match(x.text, /^<\?xml version="1.0" encoding="utf-8"\?>\s*<service_requests><request>/);
  const names = [...x.text.matchAll(/<(\w+)>/g)].map((m) => m[1]).slice(2);
  assert.deepEqual(names, REQUEST_FIELDS);
  assert.match(x.text, new RegExp(`<service_request_id>${id}</service_request_id><status>closed</status>`));
  const tx = await anon.get(`/open311/v2/tokens/${p.json[0].token}.xml`);
  assert.match(tx.text, new RegExp(`<service_requests><request><service_request_id>${id}</service_request_id><token>`));
  const px = await postForm(srv, 'xml', { ...FORM(), description: '电梯又坏了 (样例数据)' });
  assert.equal(px.status, 201, px.text);
  assert.match(px.text, /^<\?xml[^>]*>\s*<service_requests><request><service_request_id>\d+<\/service_request_id><token>[0-9a-f]{32}<\/token><service_notice>/);
  assertNotFound(await anon.get('/open311/v2/requests/999999.json'), 'json');
  assertNotFound(await anon.get('/open311/v2/requests/abc.json'), 'json');
  assertNotFound(await anon.get(`/open311/v2/tokens/${'0'.repeat(32)}.json`), 'json');
  assertNotFound(await anon.get('/open311/v2/tokens/nope.xml'), 'xml');
});

// The spec's error list, as JSON or XML.
function assertNotFound(r, format, status = 404) {
  assert.equal(r.status, status, r.text);
  if (format === 'xml') {
    assert.match(r.text, new RegExp(`<errors><error><code>${status}</code><description>[^<]+</description></error></errors>`));
  } else {
    assert.ok(Array.isArray(r.json), r.text);
    assert.equal(r.json[0].code, status);
    assert.equal(typeof r.json[0].description, 'string');
  }
}

test('POST requests: JSON too; bad input and bad keys get the spec\'s errors, store nothing', async () => {
  const j = await fetch(`${srv.url}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...FORM(), lat: 41.12, long: 121.13 }),
  });
  assert.equal(j.status, 201);
  const before = await stored();
  const bad = async (fields, format, status, re) => {
    const r = await postForm(srv, format, fields);
    assertNotFound(r, format, status);
    if (re) assert.match(format === 'xml' ? r.text : r.json[0].description, re);
  };
  await bad({ ...FORM(), api_key: 'f'.repeat(64) }, 'json', 403, /api_key/);
  await bad({ ...FORM(), api_key: undefined }, 'json', 403, /api_key/);
  await bad({ ...FORM(), api_key: 'nope' }, 'xml', 403, /api_key/);
  await bad({ ...FORM(), service_code: 'teleport' }, 'json', 400, /^service_code: /);
  await bad({ ...FORM(), service_code: 'petition' }, 'json', 400, /^service_code: /);
  await bad({ ...FORM(), lat: '', long: '', address_string: '' }, 'json', 400, /^address_string: /);
  await bad({ ...FORM(), lat: 'north' }, 'json', 400, /^lat: /);
  await bad({ ...FORM(), long: '' }, 'json', 400, /^(lat|long): /);
  await bad({ ...FORM(), description: 'x'.repeat(4001) }, 'json', 400, /^description: /);
  await bad({ ...FORM(), phone: 'ring ring' }, 'json', 400, /^phone: /);
  await bad({ ...FORM(), media_url: 'ftp://x' }, 'json', 400, /^media_url: /);
  const big = await postForm(srv, 'json', { ...FORM(), description: 'x'.repeat(2 << 20) });
  assert.equal(big.status, 413);
  assert.equal(await stored(), before, 'nothing stored');
  assertNotFound(await postForm(srv, 'yaml', FORM()), 'json');
});

test('a held submission: its token has no id yet, the request is not shown', async () => {
  const p = await postForm(srv, 'json', { ...FORM(), description: '加微信 www.spam.example 低价' });
  assert.equal(p.status, 201, p.text);
  assert.match(p.json[0].service_notice, /待审核/);
  const t = await anon.get(`/open311/v2/tokens/${p.json[0].token}.json`);
  assert.deepEqual(t.json, [{ service_request_id: null, token: p.json[0].token }]);
  assertNotFound(await anon.get(`/open311/v2/requests/${p.json[0].service_request_id}.json`), 'json');
  const all = await anon.get(`/open311/v2/requests.json?service_request_id=${p.json[0].service_request_id}`);
  assert.deepEqual(all.json, []);
});

test('GET requests.json|xml: the spec\'s filters', async () => {
  cover('GET', '/open311/v2/requests.{format}');
  const a = (await postForm(srv, 'json', { ...FORM(), service_code: 'noise', description: '夜间施工噪音 (样例数据)' })).json[0];
  const b = (await postForm(srv, 'json', { ...FORM(), service_code: 'noise', description: '广场舞噪音 (样例数据)' })).json[0];
  await reviewer.post(`/api/v1/requests/${b.service_request_id}/duplicate`, { duplicate_of: Number(a.service_request_id) });
  const all = await anon.get('/open311/v2/requests.json');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.json.length >= 2);
  for (const q of all.json) assert.deepEqual(Object.keys(q), REQUEST_FIELDS);
  const ids = all.json.map((q) => Number(q.service_request_id));
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'the newest first');
  assert.doesNotMatch(all.text, /13900000000|lilei@example/);
  const now = Date.now();
  const w3 = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
  // From an hour ago: the demo's sample requests hold older noise ones.
  const since = `&start_date=${w3(now - 3600e3)}`;
  const noise = await anon.get(`/open311/v2/requests.json?service_code=noise${since}`);
  assert.deepEqual(noise.json.map((q) => q.service_request_id).sort(), [a.service_request_id, b.service_request_id].sort());
  const open = await anon.get(`/open311/v2/requests.json?service_code=noise&status=open${since}`);
  assert.deepEqual(open.json.map((q) => q.service_request_id), [a.service_request_id]);
  const closed = await anon.get(`/open311/v2/requests.json?service_code=noise&status=closed${since}`);
  assert.deepEqual(closed.json.map((q) => q.service_request_id), [b.service_request_id]);
  const byId = await anon.get(`/open311/v2/requests.json?service_request_id=${a.service_request_id},${b.service_request_id}`);
  assert.equal(byId.json.length, 2);
  const within = await anon.get(`/open311/v2/requests.json?service_code=noise&start_date=${w3(now - 3600e3)}&end_date=${w3(now + 3600e3)}`);
  assert.equal(within.json.length, 2);
  const before = await anon.get(`/open311/v2/requests.json?service_code=noise&start_date=${w3(now - 7200e3)}&end_date=${w3(now - 3600e3)}`);
  assert.deepEqual(before.json, []);
  const x = await anon.get(`/open311/v2/requests.xml?service_code=noise${since}`);
  assert.equal(x.status, 200);
  assert.equal([...x.text.matchAll(/<request>/g)].length, 2);
  assertNotFound(await anon.get('/open311/v2/requests.json?status=lost'), 'json', 400);
  assertNotFound(await anon.get('/open311/v2/requests.xml?start_date=yesterday'), 'xml', 400);
  assertNotFound(await anon.get('/open311/v2/requests.json?service_request_id=1;2'), 'json', 400);
});

test('services/{code}.json|xml: the definition, without attributes', async () => {
  cover('GET', '/open311/v2/services/{service_file}');
  const j = await anon.get('/open311/v2/services/heating.json');
  assert.equal(j.status, 200, j.text);
  assert.deepEqual(j.json, { service_code: 'heating', attributes: [] });
  const x = await anon.get('/open311/v2/services/heating.xml');
  assert.match(x.text, /<service_definition><service_code>heating<\/service_code><attributes><\/attributes><\/service_definition>/);
  assertNotFound(await anon.get('/open311/v2/services/petition.json'), 'json');
  assertNotFound(await anon.get('/open311/v2/services/nope.xml'), 'xml');
});

test('an api_key is limited: 429 with Retry-After in the spec\'s format', async () => {
  const small = await start({ env: { CIVSTAT_RATE_KEY: '2', CIVSTAT_RATE_ADDRESS: '1000' } });
  try {
    const key = apiKey(small, 'resident');
    const form = { ...FORM(), api_key: key };
    for (let k = 0; k < 2; k++) assert.equal((await postForm(small, 'json', form)).status, 201);
    const r = await postForm(small, 'json', form);
    assertNotFound(r, 'json', 429);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    // another client's key is not held back by this one
    const other = apiKey(small, 'clerk');
    assert.equal((await postForm(small, 'xml', { ...form, api_key: other })).status, 201);
  } finally {
    await small.stop();
  }
});

test('every /open311 route is called by a test above', () => {
  assert.ok(ROUTES.length >= 2);
  const missing = ROUTES.map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !covered.has(k));
  assert.deepEqual(missing, []);
});
