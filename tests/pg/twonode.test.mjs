// Two civstat nodes on one PostgreSQL (issue 5): a write answered by one is
// read on the other within moments; one node killed mid-writes, the other
// goes on; PostgreSQL stopped and started again mid-writes, both nodes
// answer 503 meanwhile (never hang) and recover, and no answered write is
// lost; the audit chain written by both verifies.
//
// Needs the private server of `make pg-test`: CIVSTAT_TEST_PG (its URL),
// CIVSTAT_TEST_PGDIR and CIVSTAT_TEST_PGPORT (to stop and start it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOP, CIVSTAT, civstat, freePort } from '../api/harness.mjs';

const PG = process.env.CIVSTAT_TEST_PG;
const PGDIR = process.env.CIVSTAT_TEST_PGDIR;
const PGPORT = process.env.CIVSTAT_TEST_PGPORT;
const skip = !PG || !PGDIR || !PGPORT ? 'needs the PostgreSQL server of make pg-test' : false;
const URL_ = PG ? PG.replace(/\/[^/]*$/, '/civstat_two') : '';
const PASSWORD = 'two-node-password-1';

const psql = (sql) => execFileSync('/usr/lib/postgresql/15/bin/psql', ['-qtA', PG, '-c', sql],
  { env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' }, encoding: 'utf8' });
const pgctl = (cmd) => execFileSync('sh', [join(TOP, 'scripts/pg.sh'), cmd, PGDIR, PGPORT], { stdio: 'ignore' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A node: `civstat serve` on the shared database.
async function node(name) {
  const port = await freePort();
  const proc = spawn(CIVSTAT, ['serve', '--db', URL_, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not yet */ }
    if (i > 200 || proc.exitCode !== null) throw new Error(`node ${name} did not start:\n${log}`);
    await sleep(50);
  }
  return { name, url, proc, log: () => log };
}

async function stop(n) {
  if (n && n.proc.exitCode === null && n.proc.signalCode === null) {
    n.proc.kill('SIGTERM');
    await new Promise((r) => n.proc.once('exit', r));
  }
}

// nginx with the README's configuration (deploy/nginx.conf), its ports
// changed to the nodes' and a free one of its own.
async function nginx(nodes) {
  const dir = mkdtempSync(join(tmpdir(), 'civstat-nginx-'));
  const port = await freePort();
  let conf = readFileSync(join(TOP, 'deploy/nginx.conf'), 'utf8')
    .replace('127.0.0.1:8081', nodes[0].url.slice(7))
    .replace('127.0.0.1:8082', nodes[1].url.slice(7))
    .replace('listen 80;', `listen 127.0.0.1:${port};`);
  assert.ok(conf.includes(nodes[1].url.slice(7)), 'deploy/nginx.conf names two nodes');
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const proc = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'),
    '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not yet */ }
    if (i > 100 || proc.exitCode !== null) throw new Error('nginx did not start');
    await sleep(50);
  }
  return {
    name: 'nginx', url, proc,
    async stop() {
      proc.kill('SIGTERM');
      if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One HTTP call with a deadline: { status } or { status: 0 } when no
// answer came (refused, reset, or over the deadline).
async function call(url, path, { method = 'GET', body, headers = {}, ms = 8000 } = {}) {
  const t0 = Date.now();
  try {
    const res = await fetch(url + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(ms),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text, ms: Date.now() - t0 };
  } catch (e) {
    return { status: 0, error: String(e), ms: Date.now() - t0 };
  }
}

// Signs in on any node: sessions live in the shared database.
async function login(url) {
  const res = await fetch(`${url}/api/v1/login`, {
    method: 'POST', body: JSON.stringify({ name: 'admin', password: PASSWORD }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { csrf } = JSON.parse(text);
  return { cookie, 'x-csrf-token': csrf };
}

const write = (n, auth, area, period, value) => call(n.url, '/api/v1/values', {
  method: 'POST', headers: auth, body: { figures: [{ indicator: 'FAI', area, period, value }] },
});

// The figures of FAI in area as node n holds them: period -> value.
async function figures(n, auth, area) {
  const r = await call(n.url, `/api/v1/values?indicator=FAI&area=${area}&limit=1000`, { headers: auth });
  assert.equal(r.status, 200, r.text);
  return new Map(r.json.items.map((f) => [f.period, f.value]));
}

// A writer that keeps writing FAI in its area, month after month, to one
// node, until stopped; it keeps every attempt and its answer.
// A test that fails leaves no writer behind: after() stops them all, and
// none writes for more than a minute.
const writers = new Set();
function writer(getNode, auth, area) {
  const attempts = [];
  let running = true;
  const until = Date.now() + 60000;
  const done = (async () => {
    for (let k = 0; running && Date.now() < until; k++) {
      const period = `2026-0${1 + (k % 9)}`;
      const value = 1000 + k;
      const r = await write(getNode(), auth, area, period, value);
      attempts.push({ period, value, status: r.status, ms: r.ms });
      if (r.status !== 200) await sleep(50);
    }
  })();
  const w = { attempts, stop: async () => { running = false; writers.delete(w); await done; } };
  writers.add(w);
  return w;
}

// Every answered write is in the store: for each month, the value stored
// is the last answered one, or one tried after it whose answer was lost.
function assertKept(attempts, stored, what) {
  const byPeriod = new Map();
  for (const a of attempts) {
    if (!byPeriod.has(a.period)) byPeriod.set(a.period, []);
    byPeriod.get(a.period).push(a);
  }
  for (const [period, list] of byPeriod) {
    const last = list.map((a) => a.status).lastIndexOf(200);
    if (last < 0) continue;
    const allowed = list.slice(last).filter((a, j) => j === 0 || a.status !== 200 && a.status < 400)
      .map((a) => a.value);
    assert.ok(allowed.includes(stored.get(period)),
      `${what} ${period}: stored ${stored.get(period)}, answered ${list[last].value}`);
  }
}

let A, B, auth;

before(async () => {
  if (skip) return;
  psql('DROP DATABASE IF EXISTS civstat_two');
  psql('CREATE DATABASE civstat_two');
  civstat(['init', '--db', URL_, '--demo', join(TOP, 'data/demo')]);
  civstat(['user', 'add', 'admin', '--db', URL_, '--role', 'admin', '--password-stdin'], PASSWORD + '\n');
  [A, B] = await Promise.all([node('A'), node('B')]);
  auth = await login(A.url);
});

after(async () => {
  if (skip) return;
  await Promise.all([...writers].map((w) => w.stop()));
  await Promise.all([stop(A), stop(B)]);
  try { psql('DROP DATABASE IF EXISTS civstat_two'); } catch { /* the server is gone */ }
});

test('a write answered by one node is read on the other at once', { skip }, async () => {
  const delays = [];
  for (let k = 0; k < 20; k++) {
    const [from, to] = k % 2 ? [B, A] : [A, B];
    const value = 500 + k;
    const r = await write(from, auth, '210726', '2026-10', value);
    assert.equal(r.status, 200, r.text);
    const t0 = Date.now();
    for (;;) {
      const seen = (await figures(to, auth, '210726')).get('2026-10');
      if (seen === value) break;
      assert.ok(Date.now() - t0 < 3000, `node ${to.name} still shows ${seen}, not ${value}`);
      await sleep(5);
    }
    delays.push(Date.now() - t0);
  }
  delays.sort((x, y) => x - y);
  // The target is 200 ms (make bench measures it); here, with room for a
  // busy machine.
  assert.ok(delays[delays.length - 1] < 1500, `delays ${delays}`);
  // Both nodes tell the change feed they followed.
  const m = await call(B.url, '/metrics');
  assert.match(m.text, /civstat_feed_series_total [1-9]/);
  // A cockpit open on B (its event stream) hears of a write made on A.
  const stop = new AbortController();
  const res = await fetch(`${B.url}/api/v1/events`, { signal: stop.signal });
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let text = '';
  const events = () => (text.match(/^data: /gm) || []).length;
  const more = async (n) => {
    const t0 = Date.now();
    while (events() < n) {
      const left = 3000 - (Date.now() - t0);
      const chunk = await Promise.race([reader.read(), sleep(Math.max(left, 0)).then(() => null)]);
      assert.ok(chunk && !chunk.done, `B's stream said only: ${text}`);
      text += dec.decode(chunk.value, { stream: true });
    }
  };
  try {
    await more(1); // the hello, with the version now
    assert.equal((await write(A, auth, '210726', '2026-10', 999)).status, 200);
    await more(2);
  } finally {
    stop.abort();
  }
});

test('a node killed mid-writes: the other goes on, nothing answered is lost', { skip }, async () => {
  const wa = writer(() => A, auth, '210702');
  const wb = writer(() => B, auth, '210703');
  await sleep(1000);
  A.proc.kill('SIGKILL');
  await new Promise((r) => A.proc.once('exit', r));
  const before = wb.attempts.length;
  await sleep(1000);
  await wa.stop();
  await wb.stop();
  const after = wb.attempts.slice(before);
  assert.ok(after.length > 5, `B wrote only ${after.length} after A died`);
  assert.deepEqual(after.filter((a) => a.status !== 200), [], 'B failed writes');
  assertKept(wa.attempts, await figures(B, auth, '210702'), 'A\'s writes on B');
  assertKept(wb.attempts, await figures(B, auth, '210703'), 'B\'s writes on B');
  A = await node('A');
  // The new A starts from the store: it sees both writers' figures.
  assertKept(wa.attempts, await figures(A, auth, '210702'), 'A\'s writes on the new A');
  assertKept(wb.attempts, await figures(A, auth, '210703'), 'B\'s writes on the new A');
});

test('behind nginx (deploy/nginx.conf), a node dies and no client notices', {
  skip: skip || (!existsSync('/usr/sbin/nginx') && 'needs nginx'),
}, async () => {
  const lb = await nginx([A, B]);
  try {
    const w = writer(() => lb, auth, '210711');
    await sleep(800);
    B.proc.kill('SIGKILL');
    await new Promise((r) => B.proc.once('exit', r));
    const at = w.attempts.length;
    await sleep(1000);
    await w.stop();
    assert.ok(w.attempts.length - at > 5, 'writes went on through nginx');
    // Only a write that was on its way to B when it died may fail (502:
    // nginx does not send a POST twice), and its client cannot know
    // whether it was kept: assertKept allows both.
    const failed = w.attempts.filter((a) => a.status !== 200);
    assert.ok(failed.length <= 2 && failed.every((a) => a.status === 502),
      `failed writes: ${JSON.stringify(failed)}`);
    assertKept(w.attempts, await figures(A, auth, '210711'), 'writes through nginx');
    // Reads of either node's figures go on too.
    assert.equal((await call(lb.url, '/api/v1/progress')).status, 200);
  } finally {
    await lb.stop();
    B = await node('B');
  }
});

test('PostgreSQL restarted mid-writes: 503 meanwhile, then both recover', { skip }, async () => {
  const wa = writer(() => A, auth, '210711');
  const wb = writer(() => B, auth, '210703');
  await sleep(700);
  pgctl('down');
  const downAt = wa.attempts.length + wb.attempts.length;
  let r, pub;
  try {
    await sleep(1500);
    // Meanwhile: 503 with Retry-After, at once, never a hang; the
    // figures in memory are still read.
    r = await write(B, auth, '210703', '2026-11', 1);
    pub = await call(A.url, '/api/v1/progress');
  } finally {
    pgctl('up');
  }
  assert.equal(r.status, 503, `while down: ${r.status} ${r.text}`);
  assert.ok(r.ms < 6000, `answered after ${r.ms} ms`);
  assert.equal(pub.status, 200, 'reads from memory go on');
  const upAt = Date.now();
  // Both nodes write again within seconds.
  for (const n of [A, B]) {
    for (;;) {
      const ok = await write(n, auth, '210711', '2026-12', 7);
      if (ok.status === 200) break;
      assert.ok(Date.now() - upAt < 15000, `node ${n.name} still answers ${ok.status} ${ok.text}`);
      await sleep(100);
    }
  }
  await sleep(500);
  await wa.stop();
  await wb.stop();
  const all = [...wa.attempts, ...wb.attempts];
  assert.ok(all.slice(downAt).some((a) => a.status === 503), 'some writes were told 503');
  assert.ok(all.every((a) => a.status === 200 || a.status === 503), `statuses ${[...new Set(all.map((a) => a.status))]}`);
  // Nothing answered is lost, and both nodes agree soon after the
  // restart (a node follows again within a second of its reconnection).
  for (const n of [A, B]) {
    for (const t0 = Date.now(); ;) {
      try {
        assertKept(wa.attempts, await figures(n, auth, '210711'), `A's writes on ${n.name}`);
        assertKept(wb.attempts, await figures(n, auth, '210703'), `B's writes on ${n.name}`);
        break;
      } catch (e) {
        if (Date.now() - t0 > 5000) throw e;
        await sleep(100);
      }
    }
  }
  // One audit chain, written by both nodes, in order.
  const out = civstat(['audit', 'verify', '--db', URL_]);
  assert.match(out, /the chain holds/, out);
});

test('a streaming replica made by deploy/replica-setup.sh answers as the primary', { skip }, async () => {
  const data = join(PGDIR, 'replica');
  const port = await freePort();
  const replica = URL_.replace(`:${PGPORT}/`, `:${port}/`);
  execFileSync('sh', [join(TOP, 'deploy/replica-setup.sh')], {
    stdio: 'ignore',
    env: {
      ...process.env, PRIMARY_HOST: '127.0.0.1', PRIMARY_PORT: PGPORT, REPLICATION_USER: 'postgres',
      SLOT: 'civstat_replica', DATA: data, PORT: String(port),
      REPLICA_OPTIONS: `-c listen_addresses=127.0.0.1 -k ${PGDIR}`,
    },
  });
  try {
    // A write answered by a node reaches the replica; civstat's reading
    // commands on the replica answer as on the primary.
    // A base backup's checkpoint can hold a busy machine's disk for a
    // while: the write may be slow, not lost.
    let w;
    for (let k = 0; k < 3; k++) {
      w = await call(A.url, '/api/v1/values', {
        method: 'POST', headers: auth, ms: 20000,
        body: { figures: [{ indicator: 'FAI', area: '210726', period: '2026-09', value: 4321 }] },
      });
      if (w.status === 200) break;
      await sleep(500);
    }
    assert.equal(w.status, 200, `${w.text || w.error} after ${w.ms} ms`);
    for (const t0 = Date.now(); ;) {
      const primary = civstat(['progress', '--db', URL_, '--area', '210726']);
      const copy = civstat(['progress', '--db', replica, '--area', '210726']);
      if (copy === primary) break;
      assert.ok(Date.now() - t0 < 5000, 'the replica did not catch up');
      await sleep(100);
    }
    assert.match(civstat(['audit', 'verify', '--db', replica]), /the chain holds/);
  } finally {
    execFileSync('runuser', ['-u', 'postgres', '--', '/usr/lib/postgresql/15/bin/pg_ctl', '-D', data,
      '-m', 'fast', '-w', 'stop'], { stdio: 'ignore' });
    psql("SELECT pg_drop_replication_slot('civstat_replica')");
    rmSync(data, { recursive: true, force: true });
  }
});
