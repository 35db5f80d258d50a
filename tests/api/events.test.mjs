// GET /api/v1/events, the Server-Sent Events stream: it opens with the data
// version at once, tells every open stream when a write moves it (bursts
// told as few events, in order), keeps quiet streams alive with a
// heartbeat, refuses streams past its cap with 503, and does not hold up
// the other requests or a SIGTERM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { start } from './harness.mjs';

const CAP = 256; // API_MAX_STREAMS
const WAIT = 10000; // ms a message may take before the test gives up

let srv, anon, clerk, admin;
before(async () => {
  srv = await start();
  anon = srv.anonymous();
  clerk = await srv.login('clerk');
  admin = await srv.login('admin');
});
after(async () => { await srv?.stop(); });

// An open stream on its own connection: its messages as they come
// ({event, data, comment}), next(pred) for the first one still to come
// that matches, close() to drop it, and ended when the server ends it.
function listen(base, headers = {}) {
  return new Promise((ok, fail) => {
    const req = request(`${base}/api/v1/events`, { headers, agent: false }, (res) => {
      const s = {
        status: res.statusCode, headers: res.headers, messages: [], body: '', taken: 0,
        waiters: [],
        ended: new Promise((done) => { res.on('end', () => done(true)); res.on('close', () => done(res.complete)); }),
        close: () => req.destroy(),
        // The first message from s.taken on that matches pred.
        next(pred = () => true, ms = WAIT) {
          return new Promise((found, lost) => {
            const look = () => {
              while (s.taken < s.messages.length) {
                const m = s.messages[s.taken++];
                if (pred(m)) return found(m), true;
              }
              return false;
            };
            if (look()) return;
            const timer = setTimeout(() => lost(new Error(`no message in ${ms} ms; had ${JSON.stringify(s.messages)}`)), ms);
            s.waiters.push(() => { if (look()) clearTimeout(timer); else return false; return true; });
          });
        },
      };
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        s.body += chunk;
        for (let k; (k = s.body.indexOf('\n\n')) >= 0;) {
          const block = s.body.slice(0, k);
          s.body = s.body.slice(k + 2);
          const m = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) m.comment = line.slice(1).trim();
            else if (line.startsWith('event: ')) m.event = line.slice(7);
            else if (line.startsWith('data: ')) m.data = JSON.parse(line.slice(6));
            else if (line.startsWith('retry: ')) m.retry = Number(line.slice(7));
          }
          s.messages.push(m);
        }
        s.waiters = s.waiters.filter((w) => !w());
      });
      ok(s);
    });
    req.on('error', fail);
    req.end();
  });
}

const one = (period, value) => ({ figures: [{ indicator: 'FAI', area: '210726', period, value }] });

test('a stream opens at once with text/event-stream, no-store and the data version', async () => {
  const s = await listen(srv.url);
  assert.equal(s.status, 200);
  assert.equal(s.headers['content-type'], 'text/event-stream');
  assert.equal(s.headers['cache-control'], 'no-store');
  assert.equal(s.headers['transfer-encoding'], 'chunked');
  const hello = await s.next();
  assert.equal(hello.event, 'hello');
  assert.ok(Number.isInteger(hello.data.version));
  assert.ok(hello.retry > 0, 'it tells the client how soon to reconnect');
  s.close();
});

test('a figure a clerk enters is told to every open stream, with the new version', async () => {
  const streams = await Promise.all([listen(srv.url), listen(srv.url, clerk.headers), listen(srv.url)]);
  const hellos = await Promise.all(streams.map((s) => s.next((m) => m.event === 'hello')));
  const v0 = hellos[0].data.version;
  const r = await clerk.post('/api/v1/values', one('2026-01', 4.5));
  assert.equal(r.status, 200, r.text);
  for (const s of streams) {
    const e = await s.next((m) => m.event === 'figures');
    assert.ok(e.data.version > v0, `${e.data.version} > ${v0}`);
    assert.deepEqual(Object.keys(e.data), ['version'], 'the event carries no figure');
  }
  // The stream opened after the write starts from where the others got to.
  const late = await listen(srv.url);
  const v1 = (await late.next()).data.version;
  for (const s of streams) {
    let last = s.messages.filter((m) => m.event === 'figures').at(-1).data.version;
    while (last < v1) last = (await s.next((m) => m.event === 'figures')).data.version;
    assert.equal(last, v1);
  }
  for (const s of [...streams, late]) s.close();
});

test('a burst of writes is told in order, as at most one event a version', async () => {
  const s = await listen(srv.url);
  const v0 = (await s.next()).data.version;
  const writes = [];
  for (let k = 1; k <= 12; k++) writes.push(clerk.post('/api/v1/values', one(`2026-${String(k).padStart(2, '0')}`, k)));
  for (const r of await Promise.all(writes)) assert.equal(r.status, 200, r.text);
  const v1 = (await (await listen(srv.url)).next()).data.version;
  assert.ok(v1 > v0);
  const seen = [];
  while (!seen.length || seen.at(-1) < v1) seen.push((await s.next((m) => m.event === 'figures')).data.version);
  assert.equal(seen.at(-1), v1, 'the last event is the latest version');
  for (let k = 1; k < seen.length; k++) assert.ok(seen[k] > seen[k - 1], `versions rise: ${seen}`);
  assert.ok(seen.length <= v1 - v0, `${seen.length} events for ${v1 - v0} versions`);
  s.close();
});

test('an import by the admin is told as "catalog"', async () => {
  const s = await listen(srv.url);
  await s.next();
  const res = await fetch(`${srv.url}/api/v1/imports?name=more.csv`, {
    method: 'POST', headers: admin.headers, body: 'indicator,area,period,value\nFAI,210727,2026-04,9.5\n',
  });
  assert.equal(res.status, 200, await res.text());
  const e = await s.next((m) => m.event === 'catalog' || m.event === 'figures');
  assert.equal(e.event, 'catalog');
  s.close();
});

test('the other requests are answered while streams are open', async () => {
  const streams = await Promise.all(Array.from({ length: 20 }, () => listen(srv.url)));
  await Promise.all(streams.map((s) => s.next()));
  const reads = await Promise.all(Array.from({ length: 20 }, () => anon.get('/api/v1/progress?indicator=FAI&period=2025-09')));
  for (const r of reads) assert.equal(r.status, 200);
  assert.equal((await clerk.post('/api/v1/values', one('2027-01', 1))).status, 200);
  for (const s of streams) s.close();
});

test('the heartbeat keeps a quiet stream talking; past the cap a stream is 503', async () => {
  const busy = await start({ env: { CIVSTAT_EVENTS_PING: '1' } });
  try {
    const first = await listen(busy.url);
    await first.next((m) => m.event === 'hello');
    const ping = await first.next((m) => m.comment === 'ping');
    assert.equal(ping.comment, 'ping');
    const streams = [first];
    while (streams.length < CAP) {
      const more = await Promise.all(Array.from({ length: Math.min(32, CAP - streams.length) }, () => listen(busy.url)));
      for (const s of more) assert.equal(s.status, 200);
      await Promise.all(more.map((s) => s.next((m) => m.event === 'hello')));
      streams.push(...more);
    }
    const refused = await fetch(`${busy.url}/api/v1/events`);
    assert.equal(refused.status, 503);
    const j = await refused.json();
    assert.equal(j.error.code, 'busy');
    assert.match(j.error.message, /256/);
    assert.equal((await fetch(`${busy.url}/healthz`)).status, 200, 'the server answers on');
    // A client gone away is noticed at the next heartbeat; its place is free.
    streams.pop().close();
    let again;
    for (let k = 0; k < 50; k++) {
      again = await fetch(`${busy.url}/api/v1/events`);
      if (again.status === 200) break;
      await again.text();
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(again.status, 200, 'a place is free again after the heartbeat');
    await again.body.cancel();
    for (const s of streams) s.close();
  } finally {
    await busy.stop();
  }
});

test('SIGTERM with streams open: each stream ends cleanly and the server exits 0', async () => {
  const own = await start();
  const streams = await Promise.all(Array.from({ length: 5 }, () => listen(own.url)));
  await Promise.all(streams.map((s) => s.next()));
  const exited = new Promise((r) => own.proc.once('exit', (code, signal) => r({ code, signal })));
  await own.stop();
  assert.deepEqual(await exited, { code: 0, signal: null });
  for (const s of streams) assert.equal(await s.ended, true, 'the chunked answer was ended, not cut');
});
