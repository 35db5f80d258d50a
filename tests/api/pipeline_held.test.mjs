// The pipeline the server holds in memory: the cluster × area matrix of the
// monitoring summary agrees with the table and the per-cluster summary; a
// write through the API shows at once in every cached read (the totals
// move); a write by another process (the CLI beside the running server)
// shows within a second, through the change feed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, civstat } from './harness.mjs';

let srv, admin, anon;
before(async () => {
  srv = await start();
  admin = await srv.login('admin');
  anon = srv.anonymous();
});
after(async () => { await srv?.stop(); });

const P = 'period=2025-09';
const close = (a, b, what) => assert.ok(Math.abs(a - b) < 0.015, `${what}: ${a} ≈ ${b}`);

async function ok(client, path) {
  const r = await client.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}

async function until(check, what) {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    assert.ok(Date.now() - t0 < 5000, `${what}: not seen after 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('by=cluster,area: the matrix adds up to the clusters and the table', async () => {
  const x = await ok(anon, `/api/v1/projects/summary?by=cluster,area&${P}`);
  assert.equal(x.by, 'cluster,area');
  assert.equal(x.level, 2, 'the level below the city: its counties');
  assert.ok(x.items.length > 3, x.items.length);
  assert.ok(x.clusters.some((c) => c.key === 'new_energy' && c.name === '新能源'));
  const byCluster = await ok(anon, `/api/v1/projects/summary?by=cluster&${P}`);
  for (const row of byCluster.items.filter((r) => r.key !== 'total')) {
    const cells = x.items.filter((c) => c.cluster === row.key);
    assert.equal(cells.reduce((s, c) => s + c.n, 0), row.n, row.key);
    assert.equal(cells.reduce((s, c) => s + c.behind, 0), row.behind, row.key);
    close(cells.reduce((s, c) => s + c.done, 0), row.done, `${row.key} done`);
    close(cells.reduce((s, c) => s + c.plan, 0), row.plan, `${row.key} plan`);
  }
  const all = byCluster.items.find((r) => r.key === 'total');
  assert.equal(x.total.n, all.n);
  close(x.total.done, all.done, 'done');
  // A cell is the table filtered by its cluster and area.
  const cell = x.items.find((c) => c.n >= 2) ?? x.items[0];
  assert.ok(x.areas.some((a) => a.key === cell.area));
  const t = await ok(anon, `/api/v1/projects?cluster=${cell.cluster}&area=${cell.area}&limit=1000&${P}`);
  assert.equal(t.totals.n, cell.n);
  close(t.totals.plan, cell.plan, 'plan');
  close(t.totals.done, cell.done, 'done');
  assert.equal(t.items.filter((p) => p.flags.includes('behind')).length, cell.behind);
});

test('by=cluster,area: level, and bad input names the field', async () => {
  const top = await ok(anon, `/api/v1/projects/summary?by=cluster,area&level=1&${P}`);
  assert.equal(top.areas.length, 1, 'everything in the city itself');
  assert.equal(top.total.n, top.items.reduce((s, c) => s + c.n, 0));
  for (const [q, field] of [['by=cluster,areas', 'by'], ['by=cluster,area&level=0', 'level'],
    ['by=cluster,area&level=x', 'level'], ['by=cluster,area&period=2025-13', 'period']]) {
    const r = await anon.get(`/api/v1/projects/summary?${q}`);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.equal(r.json.error.field, field, q);
  }
});

test('GET /projects: the first page in order, with a top-k as the full sort', async () => {
  const all = await ok(anon, `/api/v1/projects?sort=-done&limit=1000&${P}`);
  const done = all.items.map((p) => p.done ?? -1);
  assert.deepEqual(done, [...done].sort((a, b) => b - a), 'descending');
  const page = await ok(anon, `/api/v1/projects?sort=-done&limit=5&offset=3&${P}`);
  assert.deepEqual(page.items.map((p) => p.code), all.items.slice(3, 8).map((p) => p.code));
  const behind = await ok(anon, `/api/v1/projects?behind=1&sort=plan&limit=1000&${P}`);
  assert.ok(behind.items.every((p) => p.flags.includes('behind')));
});

test('a report through the API moves the held reads at once', async () => {
  const code = 'JZ-XM-001';
  const before = await ok(anon, `/api/v1/projects?q=${code}&${P}`);
  const sum0 = await ok(anon, `/api/v1/projects/summary?by=cluster&${P}`);
  const x0 = await ok(anon, `/api/v1/projects/summary?by=cluster,area&level=1&${P}`);
  const p0 = before.items[0];
  const rep = (await ok(admin, `/api/v1/projects/${code}`)).reports.find((r) => r.period === '2025-09');
  const was = rep?.investment ?? 0;
  const r = await admin.post(`/api/v1/projects/${code}/reports`, { period: '2025-09', investment: was + 2.5 });
  assert.equal(r.status, 200, r.text);
  // No wait: the write updated the pipeline the reads use before answering.
  const after = await ok(anon, `/api/v1/projects?q=${code}&${P}`);
  close(after.items[0].done, p0.done + 2.5, 'the project');
  close(after.totals.done, before.totals.done + 2.5, 'the totals');
  const sum1 = await ok(anon, `/api/v1/projects/summary?by=cluster&${P}`);
  const row = (s) => s.items.find((i) => i.key === p0.cluster);
  close(row(sum1).done, row(sum0).done + 2.5, 'the cluster');
  const x1 = await ok(anon, `/api/v1/projects/summary?by=cluster,area&level=1&${P}`);
  close(x1.total.done, x0.total.done + 2.5, 'the matrix');
  const one = await ok(anon, `/api/v1/projects/${code}?${P}`);
  assert.equal(one.reports.find((x) => x.period === '2025-09').investment, Math.round((was + 2.5) * 100) / 100);
});

test('a phase change through the API shows in the table at once', async () => {
  const code = 'JZ-XM-004';
  const p0 = (await ok(anon, `/api/v1/projects?q=${code}`)).items[0];
  const to = p0.phase === 'operating' ? 'completed' : 'operating';
  const r = await admin.post(`/api/v1/projects/${code}/phase`, { phase: to, date: '2025-10-01', reason: '测试' });
  assert.equal(r.status, 200, r.text);
  const p1 = (await ok(anon, `/api/v1/projects?q=${code}`)).items[0];
  assert.equal(p1.phase, to);
  const pipe = (await ok(anon, '/api/v1/projects/summary')).pipeline;
  assert.ok(pipe.find((x) => x.phase === to).n >= 1);
});

test('a CLI report beside the server shows within a second', async () => {
  const code = 'JZ-XM-002';
  const done = async () => (await ok(anon, `/api/v1/projects?q=${code}&${P}`)).items[0].done ?? 0;
  const total = async () => (await ok(anon, `/api/v1/projects?${P}`)).totals.done;
  const d0 = await done(), t0 = await total();
  civstat(['project', 'report', '--db', srv.db, code, '--period', '2025-08', '--investment', '7.75']);
  const ms = await until(async () => Math.abs((await done()) - d0) > 0.001, 'the CLI report');
  assert.ok(ms < 1000, `seen after ${ms} ms`);
  const d1 = await done();
  close((await total()) - t0, d1 - d0, 'the totals moved as the project');
  // And a phase change, also from another process.
  const phase = async () => (await ok(anon, `/api/v1/projects?q=${code}`)).items[0].phase;
  const from = await phase();
  const to = from === 'operating' ? 'completed' : 'operating';
  civstat(['project', 'phase', '--db', srv.db, code, '--phase', to, '--date', '2025-10-02',
    '--reason', '测试']);
  await until(async () => (await phase()) === to, 'the CLI phase change');
});
