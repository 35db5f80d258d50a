// Open311 GeoReport v2's read-only routes: the service list in JSON and
// XML equals the demo catalogue's public services (data/demo/services.csv,
// the internal 信访转办 left out), with the spec's field and element
// names; the discovery document; a format we do not speak gets the spec's
// error list.  The last test fails when an /open311 route is called by no
// test here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, routeTable, TOP } from './harness.mjs';

const ROUTES = routeTable().filter((rt) => rt.pattern.startsWith('/open311/'));
const covered = new Set();
const cover = (method, pattern) => covered.add(`${method} ${pattern}`);

let srv;
let anon;
before(async () => {
  srv = await start();
  anon = srv.anonymous();
});
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

test('every /open311 route is called by a test above', () => {
  assert.ok(ROUTES.length >= 2);
  const missing = ROUTES.map((rt) => `${rt.method} ${rt.pattern}`).filter((k) => !covered.has(k));
  assert.deepEqual(missing, []);
});
