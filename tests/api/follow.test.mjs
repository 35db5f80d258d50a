// The server follows the change feed on SQLite too: a figure or a catalog
// change that another process writes to the same file (a CLI import beside
// the running server) reaches the server's answers without a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, civstat } from './harness.mjs';

let server, admin;
before(async () => {
  server = await start();
  admin = await server.login('admin');
});
after(() => server.stop());

// Waits until check() holds, 5 s at most; returns the milliseconds it took.
async function until(check, what) {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    assert.ok(Date.now() - t0 < 5000, `${what}: not seen after 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a CLI import beside the server reaches its answers', async () => {
  const file = join(server.dir, 'late.csv');
  writeFileSync(file, 'indicator,area,period,value,state\nFAI,210726,2026-10,123.25,submitted\n');
  civstat(['import', '--db', server.db, file]);
  const figure = async () => {
    const r = await admin.get('/api/v1/values?indicator=FAI&area=210726&limit=1000');
    return r.json.items.find((f) => f.period === '2026-10')?.value;
  };
  await until(async () => (await figure()) === 123.25, 'the imported figure');
  const m = await admin.get('/metrics');
  assert.match(m.text, /civstat_feed_series_total [1-9]/);
});

test('a catalog change by another process is read again', async () => {
  const file = join(server.dir, 'indicators.csv');
  const ind = civstat(['export', '--kind', 'indicators', '--db', server.db]);
  const lines = ind.trim().split('\n');
  const cols = lines[0].split(',');
  // A new indicator, copied from the first with a new code and name.
  const row = lines[1].split(',');
  row[cols.indexOf('code')] = 'FOLLOW_NEW';
  row[cols.indexOf('name')] = '跟随测试指标';
  writeFileSync(file, `${lines[0]}\n${row.join(',')}\n`);
  civstat(['import', '--db', server.db, file]);
  await until(async () => (await admin.get('/api/v1/indicators?limit=1000')).json.items
    .some((i) => i.code === 'FOLLOW_NEW'), 'the new indicator');
  const m = await admin.get('/metrics');
  assert.match(m.text, /civstat_feed_reloads_total [1-9]/);
});
