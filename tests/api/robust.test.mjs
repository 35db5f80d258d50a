// The server under stress and at its edges: bodies over the cap, clients
// that trickle their request, a SIGKILL in the middle of a stream of
// writes, and the caching and compression of answers (ETag, gzip).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { start, CIVSTAT } from './harness.mjs';

let srv, anon, clerk, leader;
const port = () => new URL(srv.url).port;

before(async () => {
  srv = await start();
  anon = srv.anonymous();
  clerk = await srv.login('clerk');
  leader = await srv.login('leader');
});
after(async () => { await srv?.stop(); });

const one = ([indicator, area, period], extra = {}) => ({ figures: [{ indicator, area, period, ...extra }] });

async function figure(c, [ind, area, period]) {
  const r = await c.get(`/api/v1/values?indicator=${ind}&area=${area}&limit=1000`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((v) => v.period === period);
}

async function auditAll(c) {
  const items = [];
  for (let from = 1; ;) {
    const r = await c.get(`/api/v1/audit?limit=1000&from=${from}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    if (r.json.items.length < 1000) return items;
    from = items.at(-1).id + 1;
  }
}

// A raw GET with node:http, which leaves the body as it came: {status, headers, body}.
function rawGet(base, path, headers = {}) {
  return new Promise((ok, fail) => {
    const req = request(`${base}${path}`, { headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

// ---- bodies over the cap ---------------------------------------------------

test('a body over 1 MiB is 413, nothing is stored, and the server answers on', async () => {
  const key = ['FAI', '210726', '2026-01'];
  const n0 = (await auditAll(leader)).length;
  // A write that would be valid, were it not for its size.
  const body = JSON.stringify(one(key, { value: 1, comment: 'x'.repeat((1 << 20) + 10) }));
  assert.ok(body.length > 1 << 20);
  const r = await fetch(`${srv.url}/api/v1/values`, { method: 'POST', headers: clerk.headers, body });
  assert.equal(r.status, 413);
  const j = await r.json();
  assert.equal(j.error.code, 'too_big');
  assert.match(j.error.message, /1048576/);
  // The same from the public is refused just the same, before anything.
  const a = await fetch(`${srv.url}/api/v1/values`, { method: 'POST', body });
  assert.equal(a.status, 413);
  // A chunked body without a length is held to the same cap.
  const chunked = await new Promise((ok, fail) => {
    const req = request(`${srv.url}/api/v1/values`, { method: 'POST', headers: clerk.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode));
    });
    req.on('error', fail);
    for (let k = 0; k < 40; k++) req.write('x'.repeat(64 * 1024));
    req.end();
  });
  assert.equal(chunked, 413);
  assert.equal(await figure(clerk, key), undefined);
  assert.equal((await auditAll(leader)).length, n0);
  const h = await anon.get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.json.status, 'ok');
  const w = await clerk.post('/api/v1/values', one(key, { value: 2 }));
  assert.equal(w.status, 200, w.text);
  assert.equal((await figure(clerk, key)).value, 2);
});

// ---- slow clients ------------------------------------------------------------

// A client that sends head at once, then trickle one byte every 500 ms;
// resolves with what the server sent when the socket ends.
function slowClient(head, trickle) {
  const sock = connect(Number(port()), '127.0.0.1');
  let got = '', k = 0, timer;
  const done = new Promise((ok) => {
    sock.on('data', (d) => { got += d; });
    sock.on('close', () => { clearInterval(timer); ok(got); });
    sock.on('error', () => {});
  });
  sock.on('connect', () => {
    if (head) sock.write(head);
    timer = setInterval(() => {
      if (k < trickle.length) sock.write(trickle[k++]);
      else clearInterval(timer);
    }, 500);
  });
  return { sock, done, sent: () => k, answered: () => got.length > 0 };
}

test('20 clients trickling their headers do not hold up 50 others', async () => {
  // Ten trickle from the first byte and will not finish; ten send the
  // request line at once and trickle the end of their headers.
  const stuck = Array.from({ length: 10 }, () =>
    slowClient('', 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
  const tail = 'X-S: 1\r\n\r\n';
  const finishing = Array.from({ length: 10 }, () =>
    slowClient('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n', tail));
  try {
    await new Promise((r) => setTimeout(r, 1000)); // they are under way
    const paths = ['/healthz', '/api/v1/areas?limit=5', '/api/v1/progress?indicator=FAI&period=2025-09',
      '/api/v1/indicators?limit=50', '/api/v1/rank?period=2025-09'];
    const calls = [];
    for (let k = 0; k < 45; k++) {
      calls.push(fetch(`${srv.url}${paths[k % paths.length]}`, { signal: AbortSignal.timeout(5000) })
        .then(async (r) => ({ status: r.status, body: await r.text() })));
    }
    for (let k = 0; k < 5; k++) {
      calls.push(fetch(`${srv.url}/api/v1/values`, {
        method: 'POST', headers: clerk.headers, signal: AbortSignal.timeout(5000),
        body: JSON.stringify(one(['FAI', '210727', `2026-0${k + 1}`], { value: k })),
      }).then(async (r) => ({ status: r.status, body: await r.text() })));
    }
    const results = await Promise.all(calls);
    assert.deepEqual(results.filter((r) => r.status !== 200), [], 'every normal request succeeds');
    // They were answered while the slow ones were still trickling.
    assert.ok(finishing.every((c) => c.sent() < tail.length && !c.answered()),
      'the slow clients had not finished when the others were answered');
    // The slow clients that finish their request get their answer.
    const answers = await Promise.all(finishing.map((c) => c.done));
    for (const a of answers) assert.match(a, /^HTTP\/1\.1 200 /, `a slow client's answer: ${a.slice(0, 80)}`);
    assert.ok(stuck.every((c) => !c.answered()), 'an unfinished request is not answered');
  } finally {
    for (const c of [...stuck, ...finishing]) c.sock.destroy();
  }
  const h = await anon.get('/healthz');
  assert.equal(h.status, 200);
  for (let k = 0; k < 5; k++)
    assert.equal((await figure(clerk, ['FAI', '210727', `2026-0${k + 1}`])).value, k);
});

// ---- SIGKILL in the middle of writes -------------------------------------------

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => ok(p));
    });
    s.on('error', fail);
  });
}

// `civstat serve` on db, answering; {url, proc, stop()}.
async function serve(db) {
  const p = await freePort();
  const proc = spawn(CIVSTAT, ['serve', '--db', db, '--listen', `127.0.0.1:${p}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${p}`;
  const exited = new Promise((r) => proc.once('exit', r));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not up yet */ }
    if (i > 100 || proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`civstat serve did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

test('SIGKILL in the middle of a stream of writes loses no write answered 200', async (t) => {
  // A server of its own on a database of its own: it is killed.
  const own = await start();
  let again;
  t.after(async () => {
    await again?.stop();
    await own.stop();
  });
  const writer = await own.login('clerk');
  const exited = new Promise((r) => own.proc.once('exit', (code, signal) => r(signal)));
  const areas = ['210702', '210703', '210711', '210726', '210727', '210781', '210782'];
  const keys = [];
  for (let y = 2026; y < 2030; y++)
    for (let m = 1; m <= 12; m++)
      for (const a of areas) keys.push(['FAI', a, `${y}-${String(m).padStart(2, '0')}`]);
  const answered = []; // [key, value, request id]
  const failed = [];   // [key, value]: no answer, or not 200
  let next = 0, killed = false;
  const worker = async () => {
    while (next < keys.length) {
      const k = next++;
      const key = keys[k], value = 1000 + k + 0.25;
      try {
        const r = await fetch(`${own.url}/api/v1/values`, {
          method: 'POST', headers: writer.headers, body: JSON.stringify(one(key, { value })),
        });
        await r.text();
        if (r.status === 200) answered.push([key, value, r.headers.get('x-request-id')]);
        else failed.push([key, value]);
      } catch {
        failed.push([key, value]);
      }
      if (answered.length >= 60 && !killed) {
        killed = true;
        own.proc.kill('SIGKILL');
      }
      if (killed && own.proc.signalCode) return;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  assert.ok(killed, 'the server was killed while writes were under way');
  assert.equal(await exited, 'SIGKILL');
  assert.ok(answered.length >= 60);

  // The same database, served again.
  again = await serve(own.db);
  const res = await fetch(`${again.url}/api/v1/login`, {
    method: 'POST', body: JSON.stringify({ name: 'clerk', password: 'clerk-password-1' }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const get = async (path) => (await fetch(again.url + path, { headers: { cookie } })).json();
  const seen = new Map();
  for (const a of areas) {
    const j = await get(`/api/v1/values?indicator=FAI&area=${a}&limit=1000`);
    for (const v of j.items) seen.set(`${a} ${v.period}`, v);
  }
  const lost = answered.filter(([[, a, p], value]) => seen.get(`${a} ${p}`)?.value !== value);
  assert.deepEqual(lost.map(([k]) => k.join(' ')), [], 'writes answered 200 but not there after the restart');
  for (const [[, a, p]] of answered) assert.equal(seen.get(`${a} ${p}`).state, 'draft');
  // A write that got no answer is there whole or not at all.
  for (const [[, a, p], value] of failed) {
    const v = seen.get(`${a} ${p}`);
    assert.ok(v === undefined || v.value === value, `${a} ${p}: ${JSON.stringify(v)}`);
  }
  // Each answered write has its audit entry, with its request id, and
  // the chain holds.
  const lr = await fetch(`${again.url}/api/v1/login`, {
    method: 'POST', body: JSON.stringify({ name: 'leader', password: 'leader-password-1' }),
  });
  const lcookie = lr.headers.get('set-cookie').split(';')[0];
  const ids = new Set();
  for (let from = 1; ;) {
    const j = await (await fetch(`${again.url}/api/v1/audit?limit=1000&from=${from}`, { headers: { cookie: lcookie } })).json();
    for (const e of j.items) ids.add(e.request_id);
    if (j.items.length < 1000) break;
    from = j.items.at(-1).id + 1;
  }
  assert.deepEqual(answered.filter(([, , rid]) => !ids.has(rid)).map(([k]) => k.join(' ')), [],
    'answered writes without their audit entry');
  const verify = execFileSync(CIVSTAT, ['audit', 'verify', '--db', own.db], { encoding: 'utf8' });
  assert.match(verify, /chain holds/);
});

test('writes that arrive together commit together, each answered for itself', async (t) => {
  const own = await start();
  t.after(() => own.stop());
  const w = await own.login('clerk');
  const boss = await own.login('leader');
  const approved = (await w.get('/api/v1/values?indicator=FAI&area=210726&limit=1000'))
    .json.items.find((v) => v.state === 'approved');
  assert.ok(approved, 'the demo has an approved figure');
  const entriesBefore = (await auditAll(boss)).length;
  const metric = async (name) => Number((await own.anonymous().get('/metrics')).text
    .match(new RegExp(`^${name} (\\d+)$`, 'm'))[1]);
  const groupedBefore = await metric('civstat_grouped_writes_total');
  const month = (k) => `2027-${String((k % 12) + 1).padStart(2, '0')}`;
  const good = [...Array(20)].map((_, k) => ['FAI', k < 12 ? '210702' : '210703', month(k)]);
  const firsts = [...Array(10)].map((_, k) => ['FAI', '210711', month(k)]);
  const locked = ['FAI', '210726', approved.period];
  const bodies = [
    ...good.map((key, k) => one(key, { value: 100 + k })),
    ...[...Array(10)].map(() => one(locked, { value: 1 })),
    // The first figure goes in; the second is refused, the answer says so.
    ...firsts.map(([i, a, p], k) => ({ figures: [
      { indicator: i, area: a, period: p, value: 200 + k },
      { indicator: 'FAI', area: '210726', period: approved.period, value: 2 }] })),
  ];
  const answers = await Promise.all(bodies.map((b) => w.post('/api/v1/values', b)));
  answers.slice(0, 20).forEach((r, k) => assert.deepEqual([r.status, r.json], [200, { done: 1 }], `good ${k}`));
  for (const r of answers.slice(20)) assert.equal(r.status, 409, r.text);
  for (const r of answers.slice(30)) assert.match(r.json.error.message, /1 done before it/);

  for (const [k, key] of good.entries()) assert.equal((await figure(w, key)).value, 100 + k, key.join(' '));
  for (const [k, key] of firsts.entries()) assert.equal((await figure(w, key)).value, 200 + k, key.join(' '));
  const still = await figure(w, locked);
  assert.deepEqual([still.value, still.state], [approved.value, 'approved']);
  // One audit entry for each figure that went in, none for the refused;
  // the chain holds.
  assert.equal((await auditAll(boss)).length, entriesBefore + 30);
  assert.equal(await metric('civstat_grouped_writes_total'), groupedBefore + 40);
  assert.ok(await metric('civstat_commits_total') >= 1);
  assert.match(execFileSync(CIVSTAT, ['audit', 'verify', '--db', own.db], { encoding: 'utf8' }), /chain holds/);
});

test('the default period is the latest month reported: a draft alone does not move it', async (t) => {
  const own = await start();
  t.after(() => own.stop());
  const c = await own.login('clerk');
  const latest = async () => (await own.anonymous().get('/api/v1/progress?indicator=FAI')).json[0].period;
  assert.equal(await latest(), '2025-01/2025-09');
  const key = ['FAI', '210702', '2025-11'];
  assert.equal((await c.post('/api/v1/values', one(key, { value: 3 }))).status, 200);
  assert.equal(await latest(), '2025-01/2025-09', 'a draft is not yet reported');
  assert.equal((await c.post('/api/v1/values/submit', one(key))).status, 200);
  assert.equal(await latest(), '2025-01/2025-11', 'submitted: reported');
});

// ---- ETag and gzip ---------------------------------------------------------------

test('an answer has an ETag; If-None-Match with it is 304, until the answer changes', async () => {
  const path = '/api/v1/progress?indicator=FAI&area=210781&period=2025-10';
  const a = await anon.get(path);
  assert.equal(a.status, 200);
  const etag = a.headers.get('etag');
  assert.match(etag, /^(W\/)?"[^"]+"$/);
  assert.equal(a.headers.get('cache-control'), 'no-cache');
  assert.match(a.headers.get('vary'), /Accept-Encoding/);
  assert.equal((await anon.get(path)).headers.get('etag'), etag, 'the same answer, the same ETag');
  const b = await anon.get(path, { 'if-none-match': etag });
  assert.equal(b.status, 304);
  assert.equal(b.text, '');
  assert.equal(b.headers.get('etag'), etag, 'a 304 carries the ETag');
  // Another answer has another ETag.
  const other = await anon.get('/api/v1/progress?indicator=FAI&area=210782&period=2025-10');
  assert.notEqual(other.headers.get('etag'), etag);
  assert.equal((await anon.get('/api/v1/progress?indicator=FAI&area=210782&period=2025-10',
    { 'if-none-match': etag })).status, 200);
  // A write that changes the answer changes the ETag.
  const w = await clerk.post('/api/v1/values', one(['FAI', '210781', '2025-10'], { value: 99.5 }));
  assert.equal(w.status, 200, w.text);
  assert.equal(w.headers.get('etag'), null, 'a write has no ETag');
  const c = await anon.get(path, { 'if-none-match': etag });
  assert.equal(c.status, 200, 'a stale ETag gets the new answer');
  assert.notEqual(c.headers.get('etag'), etag);
  assert.notDeepEqual(c.json, a.json);
  // Errors are not cached.
  const e = await anon.get('/api/v1/progress?indicator=NOPE');
  assert.equal(e.status, 404);
  assert.equal(e.headers.get('etag'), null);
  assert.equal(e.headers.get('cache-control'), 'no-store');
});

test('If-None-Match takes a list of ETags, weak ones and *', async () => {
  const path = '/api/v1/indicators?limit=7';
  const etag = (await anon.get(path)).headers.get('etag');
  const strong = etag.replace(/^W\//, '');
  for (const inm of [`"nope", ${etag}`, `${etag}, "nope"`, `W/${strong}`, '*']) {
    const r = await anon.get(path, { 'if-none-match': inm });
    assert.equal(r.status, 304, `If-None-Match: ${inm} (the ETag is ${etag})`);
  }
  assert.equal((await anon.get(path, { 'if-none-match': '"nope", "other"' })).status, 200);
});

test('with Accept-Encoding: gzip a large answer is gzipped and decodes to the same JSON', async () => {
  const path = '/api/v1/progress?level=2&period=2025-09';
  const plain = await rawGet(srv.url, path);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined, 'no gzip unless asked');
  const json = JSON.parse(plain.body.toString('utf8'));
  assert.ok(json.length > 100, `progress of every indicator over level 2: ${json.length} rows`);
  const zipped = await rawGet(srv.url, path, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.match(zipped.headers['content-type'], /^application\/json/);
  assert.match(zipped.headers.vary, /Accept-Encoding/);
  assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
  assert.ok(zipped.body.length < plain.body.length / 3, `${zipped.body.length} of ${plain.body.length} bytes`);
  assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString('utf8')), json);
  // A 304 to a gzip client too.
  const nm = await rawGet(srv.url, path, { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.etag });
  assert.equal(nm.status, 304);
  assert.equal(nm.body.length, 0);
  // A small answer is sent as it is.
  const small = await rawGet(srv.url, '/healthz', { 'accept-encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(JSON.parse(small.body).status, 'ok');
  // An error large or small is JSON a client can read.
  const err = await rawGet(srv.url, '/api/v1/progress?indicator=NOPE', { 'accept-encoding': 'gzip' });
  assert.equal(err.status, 404);
  // fetch, which asks for gzip, decodes it.
  const f = await anon.get(path);
  assert.deepEqual(f.json, json);
});

test('Accept-Encoding: gzip;q=0 refuses gzip', async () => {
  const path = '/api/v1/progress?level=2&period=2025-09';
  for (const ae of ['gzip;q=0', 'identity, gzip;q=0', 'br']) {
    const r = await rawGet(srv.url, path, { 'accept-encoding': ae });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], undefined, `Accept-Encoding: ${ae}`);
  }
});

test('the gzip and the plain answer do not share a strong ETag', async () => {
  const path = '/api/v1/progress?level=2&period=2025-09';
  const plain = await rawGet(srv.url, path);
  const zipped = await rawGet(srv.url, path, { 'accept-encoding': 'gzip' });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  const same = plain.headers.etag === zipped.headers.etag;
  assert.ok(!same || plain.headers.etag.startsWith('W/'),
    `two representations, one strong ETag ${plain.headers.etag}: make it weak or distinct per encoding`);
});
