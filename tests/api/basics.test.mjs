// The server's basics: health, metrics, errors, ETag, gzip, sign in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let srv;
before(async () => { srv = await start(); });
after(async () => { await srv.stop(); });

test('healthz says ok and counts the figures', async () => {
  const r = await srv.anonymous().get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.ok(r.json.figures >= 9114);
});

test('an unknown route is 404 with the error shape', async () => {
  const r = await srv.anonymous().get('/api/v1/nope');
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
  assert.match(r.json.error.message, /no such route/);
});

test('progress of the city: 累计, 完成率, 序时进度 and the light', async () => {
  const r = await srv.anonymous().get('/api/v1/progress?indicator=FAI&period=2025-09');
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 1);
  assert.equal(r.json[0].area, '210700');
  assert.equal(r.json[0].time_progress_pct, 75);
  assert.ok(['ahead', 'close', 'behind'].includes(r.json[0].status));
});

test('a read answers 304 to its ETag', async () => {
  const c = srv.anonymous();
  const a = await c.get('/api/v1/indicators?limit=5');
  const etag = a.headers.get('etag');
  assert.ok(etag);
  const b = await c.get('/api/v1/indicators?limit=5', { 'if-none-match': etag });
  assert.equal(b.status, 304);
});

test('sign in, write with the CSRF token, not without it', async () => {
  const clerk = await srv.login('clerk');
  const fig = { figures: [{ indicator: 'FAI', area: '210726', period: '2025-10', value: 12.5 }] };
  const bad = await clerk.post('/api/v1/values', fig, { 'x-csrf-token': 'nope' });
  assert.equal(bad.status, 403);
  const ok = await clerk.post('/api/v1/values', fig);
  assert.equal(ok.status, 200);
  assert.equal(ok.json.done, 1);
  const seen = await clerk.get('/api/v1/values?indicator=FAI&area=210726&state=draft');
  assert.ok(seen.json.items.some((v) => v.period === '2025-10' && v.value === 12.5));
});

test('a wrong password is 401 with one message for any name', async () => {
  const c = srv.anonymous();
  const a = await c.post('/api/v1/login', { name: 'clerk', password: 'wrong-password' });
  const b = await c.post('/api/v1/login', { name: 'nobody', password: 'wrong-password' });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.json.error.message, b.json.error.message);
});
