// The real civstat server on loopback with a fresh copy of the demo city,
// for the API tests.  start() builds the database, adds one account per
// role, starts `civstat serve` on a free port and waits until it answers.
// The database is a SQLite file in a temporary directory or, when
// CIVSTAT_TEST_PG holds a PostgreSQL URL, a database of its own created on
// that server (the URL with the name swapped) and dropped by stop().
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export const TOP = resolve(import.meta.dirname, '../..');
export const CIVSTAT = resolve(TOP, process.env.CIVSTAT || 'build/civstat');

// The PostgreSQL server the tests run on, or null for SQLite files.
export const PG = process.env.CIVSTAT_TEST_PG || null;
const PSQL = '/usr/lib/postgresql/15/bin/psql';

// SQL on the server's own database (PG), as tests/cli/pg.sh does.
function psql(sql) {
  execFileSync(PSQL, ['-qtA', '-v', 'ON_ERROR_STOP=1', PG, '-c', sql], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
}

// A fresh database for one server: its --db argument and how to drop it.
function newDatabase(dir) {
  if (!PG) return { db: join(dir, 'city.db'), drop() {} };
  const name = `civstat_api_${process.pid}_${basename(dir).replace(/\W/g, '').toLowerCase()}`;
  psql(`CREATE DATABASE ${name}`);
  return {
    db: `${PG.slice(0, PG.lastIndexOf('/'))}/${name}`,
    // FORCE: a server killed mid-request may leave a backend behind for a moment.
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

// The accounts every test can use: name -> [role, department, password].
export const ACCOUNTS = {
  admin: ['admin', null, 'admin-password-1'],
  leader: ['leader', null, 'leader-password-1'],
  reviewer: ['reviewer', null, 'reviewer-password-1'],
  clerk: ['department', 'FGW', 'clerk-password-1'],
  other: ['department', 'TJJ', 'other-password-1'],
  resident: ['public', null, 'public-password-1'],
};

// The route table, read from its source in src/api/routes.c:
// [{method, pattern, handler, role, lock}], so that tests fail when the
// table changes without them.
export function routeTable() {
  const src = readFileSync(join(TOP, 'src/api/routes.c'), 'utf8');
  const from = src.indexOf('api_routes[] = {');
  if (from < 0) throw new Error('routes.c has no api_routes table');
  const block = src.slice(from, src.indexOf('\n};', from));
  const re = /\{\s*(GET|POST|PUT|PATCH|DELETE|HEAD),\s*"([^"]+)",\s*(\w+),\s*ROLE_(\w+),\s*(LOCK_\w+)/g;
  const routes = [...block.matchAll(re)].map((m) => ({
    method: m[1], pattern: m[2], handler: m[3], role: m[4].toLowerCase(), lock: m[5],
  }));
  if (routes.length < 20) throw new Error(`parsed only ${routes.length} routes from routes.c`);
  return routes;
}

export function civstat(args, input) {
  return execFileSync(CIVSTAT, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

// env: more environment for the server (CIVSTAT_EVENTS_PING, say).
export async function start({ demo = true, static: staticDir, env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'civstat-api-'));
  const { db, drop } = newDatabase(dir);
  let proc, log = '';
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  try {
    civstat(['init', '--db', db, ...(demo ? ['--demo', join(TOP, 'data/demo')] : [])]);
    for (const [name, [role, dept, password]] of Object.entries(ACCOUNTS)) {
      civstat(['user', 'add', name, '--db', db, '--role', role, ...(dept ? ['--department', dept] : []),
        '--password-stdin'], password + '\n');
    }
    proc = spawn(CIVSTAT, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
      ...(staticDir ? ['--static', staticDir] : [])],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    proc.stderr.on('data', (d) => { log += d; });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch { /* not up yet */ }
      if (i > 100 || proc.exitCode !== null) throw new Error(`civstat serve did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (e) {
    // Leave nothing behind: no server, no database, no directory.
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
    }
    drop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const server = {
    url, db, dir, proc,
    log: () => log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      drop();
      rmSync(dir, { recursive: true, force: true });
    },
    // A signed-in client: cookie session and its CSRF token.
    async login(name) {
      const res = await fetch(`${url}/api/v1/login`, {
        method: 'POST', body: JSON.stringify({ name, password: ACCOUNTS[name][2] }),
      });
      if (!res.ok) throw new Error(`login ${name}: ${res.status} ${await res.text()}`);
      const cookie = res.headers.get('set-cookie').split(';')[0];
      const { csrf } = await res.json();
      return client(url, { cookie, 'x-csrf-token': csrf });
    },
    anonymous: () => client(url, {}),
  };
  return server;
}

// fetch with the client's headers; JSON bodies in and out.
function client(url, headers) {
  const call = async (method, path, body, extra = {}) => {
    const res = await fetch(url + path, {
      method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, json, text };
  };
  // A GET of a stream (text/event-stream): its first message only, up to
  // the blank line that ends it, then the connection is dropped; any other
  // answer is read whole.
  const peek = async (path, extra = {}) => {
    const stop = new AbortController();
    const res = await fetch(url + path, { headers: { ...headers, ...extra }, signal: stop.signal });
    if (!/^text\/event-stream/.test(res.headers.get('content-type') || '')) {
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, headers: res.headers, json, text };
    }
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let text = '';
    while (!text.includes('\n\n')) {
      const { done, value } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
    }
    stop.abort();
    return { status: res.status, headers: res.headers, json: null, text: text.slice(0, text.indexOf('\n\n') + 2) };
  };
  return {
    headers,
    get: (path, extra) => call('GET', path, undefined, extra),
    post: (path, body, extra) => call('POST', path, body, extra),
    peek,
  };
}

// An error answer: its status, its error code and the field it names
// (when given), in the API's error format.
export function assertError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(typeof r.json?.error?.message, 'string', r.text);
  if (code) assert.equal(r.json.error.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

// The number of audit entries, read by a client that may read them (a
// leader): a refused write must leave it as it was.
export async function auditLength(client) {
  let n = 0;
  for (let from = 1; ;) {
    const r = await client.get(`/api/v1/audit?limit=1000&from=${from}`);
    assert.equal(r.status, 200, r.text);
    n += r.json.items.length;
    if (r.json.items.length < 1000) return n;
    from = r.json.items.at(-1).id + 1;
  }
}
