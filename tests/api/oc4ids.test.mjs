// GET /api/v1/projects/export: the project table as an OC4IDS project
// package, as CSV and as an .xlsx workbook, on the real server with a copy
// of the demo city.  The package is checked against the standard itself:
// its required fields and its codelists, copied from the standard into
// fixtures/oc4ids-codelists.json (not from our output).  The workbook is
// unzipped and its header and totals row read against GET /projects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, routeTable, assertError } from './harness.mjs';

const STD = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/oc4ids-codelists.json'), 'utf8'));
const EXPORT = '/api/v1/projects/export';
const FGW = 'JZ-XM-001'; // 国电投40万千瓦风电项目, FGW's, 23 亿元

let srv;
const as = {};

before(async () => {
  srv = await start();
  as.anonymous = srv.anonymous();
  as.admin = await srv.login('admin');
  as.clerk = await srv.login('clerk');
});
after(async () => { await srv?.stop(); });

// The file as bytes, and its headers.
async function download(query) {
  const res = await fetch(`${srv.url}${EXPORT}?${query}`);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const isDateTime = (z) => typeof z === 'string' &&
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/.test(z) && !Number.isNaN(Date.parse(z));

// One project against the standard: its required fields, every coded
// field from its codelist, amounts in a currency of the list.
function checkProject(p) {
  for (const f of STD.required.project) assert.ok(f in p, `${p.id}: required "${f}"`);
  assert.match(p.id, /^oc4ids-jz-/);
  assert.ok(STD.projectStatus.includes(p.status), `${p.id}: status ${p.status}`);
  assert.ok(STD.projectType.includes(p.type), `${p.id}: type ${p.type}`);
  assert.ok(p.sector.length > 0, `${p.id}: a sector`);
  for (const s of p.sector) {
    assert.ok(STD.projectSector.includes(s), `${p.id}: sector ${s}`);
    // a subsector code comes with its parent, as the standard asks
    if (s.includes('.')) assert.ok(p.sector.includes(s.split('.')[0]), `${p.id}: parent of ${s}`);
  }
  for (const party of p.parties ?? []) {
    assert.ok(party.id && party.name, `${p.id}: a party has id and name`);
    for (const role of party.roles) assert.ok(STD.partyRole.includes(role), `${p.id}: role ${role}`);
  }
  if (p.publicAuthority) {
    const party = p.parties.find((x) => x.id === p.publicAuthority.id);
    assert.ok(party?.roles.includes('publicAuthority'), `${p.id}: the public authority is a party in that role`);
  }
  const money = (v, what) => {
    assert.ok(STD.currency.includes(v.currency), `${p.id} ${what}: currency ${v.currency}`);
    assert.equal(typeof v.amount, 'number', `${p.id} ${what}: amount`);
  };
  if (p.budget?.amount) money(p.budget.amount, 'budget');
  for (const b of p.budget?.budgetBreakdown ?? []) {
    money(b.amount, 'budgetBreakdown');
    assert.ok(isDateTime(b.period.startDate) && isDateTime(b.period.endDate));
  }
  for (const m of p.metrics ?? []) {
    assert.ok(STD.metricID.includes(m.id), `${p.id}: metric ${m.id}`);
    for (const o of m.observations) {
      assert.ok(o.id, `${p.id}: an observation's id`);
      assert.ok(isDateTime(o.period.startDate) && isDateTime(o.period.endDate), `${p.id}: ${o.id} period`);
      if (o.value) money(o.value, `observation ${o.id}`);
      if (o.measure !== undefined) {
        assert.ok(Number.isFinite(Number(o.measure)), `${p.id}: measure ${o.measure}`);
        assert.deepEqual(o.unit, { name: 'percent', id: 'P1', scheme: 'UNCEFACT' });
      }
    }
  }
  for (const l of p.locations ?? []) {
    if (!l.geometry) continue;
    assert.equal(l.geometry.type, 'Point');
    const [lon, lat] = l.geometry.coordinates;
    assert.ok(Math.abs(lon) <= 180 && Math.abs(lat) <= 90, `${p.id}: [lon, lat]`);
  }
  if (p.period?.startDate) assert.ok(isDateTime(p.period.startDate));
  assert.equal(typeof p.sampleData, 'boolean');
}

test('?format=oc4ids: a project package the standard accepts, every project of GET /projects', async () => {
  const r = await as.anonymous.get(`${EXPORT}?format=oc4ids`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="jz-projects-\d{4}-\d\d-\d\d\.json"$/);
  const pkg = r.json;
  for (const f of STD.required.package) assert.ok(f in pkg, `the package: required "${f}"`);
  for (const f of STD.required.publisher) assert.ok(pkg.publisher[f], `the publisher: required "${f}"`);
  assert.match(pkg.version, /^(\d+\.)(\d+)$/);
  assert.ok(isDateTime(pkg.publishedDate), pkg.publishedDate);
  assert.doesNotThrow(() => new URL(pkg.uri));
  assert.ok(pkg.projects.length >= 1);
  const ids = pkg.projects.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'project ids are unique in a package');
  for (const p of pkg.projects) checkProject(p);

  const all = (await as.anonymous.get('/api/v1/projects?limit=1000')).json;
  assert.deepEqual(ids.sort(), all.items.map((p) => `oc4ids-jz-${p.code}`).sort());
  // 亿元 become yuan; the phases map as docs/formats.md says.
  const status = { planning: 'identification', signed: 'preparation', started: 'implementation',
    building: 'implementation', completed: 'completion', operating: 'completion' };
  for (const item of all.items) {
    const p = pkg.projects.find((x) => x.id === `oc4ids-jz-${item.code}`);
    assert.equal(p.title, item.name);
    assert.equal(p.status, status[item.phase], `${item.code} ${item.phase}`);
    if (item.total === null) assert.equal(p.budget?.amount, undefined);
    else assert.equal(p.budget.amount.amount, Math.round(item.total * 1e8), item.code);
  }
});

test('?format=oc4ids: the monthly reports are financialProgress observations, sample data said', async () => {
  const pkg = (await as.anonymous.get(`${EXPORT}?format=oc4ids&department=FGW`)).json;
  const p = pkg.projects.find((x) => x.id === `oc4ids-jz-${FGW}`);
  const one = (await as.admin.get(`/api/v1/projects/${FGW}`)).json;
  const fin = p.metrics.find((m) => m.id === 'financialProgress');
  assert.equal(fin.observations.length, one.reports.length);
  let sum = 0;
  for (const [k, rep] of one.reports.entries()) {
    const o = fin.observations[k];
    assert.equal(o.id, rep.period);
    assert.equal(o.value.amount, Math.round(rep.investment * 1e8), rep.period);
    sum += rep.investment;
    // the share of the total investment done by the month's end
    assert.equal(o.measure, (sum / one.total * 100).toFixed(2), rep.period);
    if (rep.sample) assert.match(o.notes, /样例数据/);
  }
  assert.equal(p.publicAuthority.id, 'FGW');
  if (one.reports.some((x) => x.sample)) {
    assert.equal(p.sampleData, true);
    assert.match(p.description, /样例数据/);
  }
  // The department filter keeps FGW's projects only.
  const fgw = (await as.anonymous.get('/api/v1/projects?department=FGW&limit=1000')).json;
  assert.equal(pkg.projects.length, fgw.total);
});

test('filters as GET /projects; bad input is refused naming the field', async () => {
  for (const q of ['cluster=corridor', 'phase=在建', 'area=210781', 'q=港', 'behind=1']) {
    const pkg = (await as.anonymous.get(`${EXPORT}?format=oc4ids&${q}`));
    const list = (await as.anonymous.get(`/api/v1/projects?limit=1000&${q}`)).json;
    if (list.total === 0) {
      assert.equal(pkg.status, 404, `${q}: an empty package is not a package`);
      continue;
    }
    assert.equal(pkg.status, 200, pkg.text);
    assert.deepEqual(pkg.json.projects.map((p) => p.id).sort(),
      list.items.map((p) => `oc4ids-jz-${p.code}`).sort(), q);
  }
  assertError(await as.anonymous.get(`${EXPORT}?format=pdf`), 400, null, 'format');
  assertError(await as.anonymous.get(`${EXPORT}?format=oc4ids&cluster=steel`), 400, null, 'cluster');
  assertError(await as.anonymous.get(`${EXPORT}?format=xlsx&area=999999`), 400, null, 'area');
  assertError(await as.anonymous.get(`${EXPORT}?format=csv&phase=done`), 400, null, 'phase');
  assertError(await as.anonymous.get(`${EXPORT}?format=csv&department=NOPE`), 400, null, 'department');
  assertError(await as.anonymous.get(`${EXPORT}?format=csv&today=2025-13-01`), 400, null, 'today');
  assertError(await as.anonymous.get(`${EXPORT}?format=oc4ids&q=没有这个项目`), 404);
});

// The cells of a worksheet: {A1: text or number}, shared strings resolved,
// a formula's cached value as its number.
function sheetCells(file, n) {
  const unzip = (part) => execFileSync('unzip', ['-p', file, part], { encoding: 'utf8' });
  const unxml = (z) => z.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const strings = [...unzip('xl/sharedStrings.xml').matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => unxml([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join('')));
  const xml = unzip(`xl/worksheets/sheet${n}.xml`);
  const cells = {};
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const v = /<v>(.*?)<\/v>/s.exec(m[3] ?? '')?.[1];
    if (v === undefined) continue;
    cells[m[1]] = /t="s"/.test(m[2]) ? strings[Number(v)] : Number(v);
  }
  return { cells, xml, workbook: unzip('xl/workbook.xml') };
}

test('?format=xlsx: sheet 重点项目 with Chinese headers and units, frozen, totals equal to GET /projects', async () => {
  for (const q of ['', '&department=ZJJ', '&cluster=corridor']) {
    const r = await download(`format=xlsx${q}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /spreadsheetml\.sheet/);
    assert.match(r.headers.get('content-disposition'), /filename="jz-projects-[\d-]+\.xlsx"/);
    const file = join(srv.dir, 'projects.xlsx');
    writeFileSync(file, r.bytes);
    const { cells, xml, workbook } = sheetCells(file, 1);
    assert.match(workbook, /<sheet name="重点项目"/);
    assert.match(workbook, /<sheet name="月报"/);
    assert.match(xml, /state="frozen"/, 'the header row stays in view');
    assert.deepEqual(['A1', 'B1', 'C1', 'H1', 'I1', 'J1', 'L1'].map((c) => cells[c]),
      ['项目代码', '项目名称', '产业集群', '阶段', '总投资(亿元)', '年度计划投资(亿元)', '完成率(%)']);
    assert.match(cells.K1, /^\d{4}年1(-\d+)?月完成投资\(亿元\)$/, cells.K1);

    const list = (await as.anonymous.get(`/api/v1/projects?limit=1000${q}`)).json;
    const last = list.total + 2;
    assert.equal(cells[`A${last}`], '合计', `the totals row after ${list.total} projects`);
    assert.equal(cells[`I${last}`], list.totals.total, `total ${q}`);
    assert.equal(cells[`J${last}`], list.totals.plan, `plan ${q}`);
    assert.equal(cells[`K${last}`], list.totals.done, `done ${q}`);
    assert.equal(cells[`L${last}`] ?? null, list.totals.completion_pct, `completion ${q}`);
    assert.match(xml, new RegExp(`<f>SUM\\(I2:I${last - 1}\\)</f>`), 'the sums stay formulas');
    const codes = [];
    for (let row = 2; row < last; row++) codes.push(cells[`A${row}`]);
    assert.deepEqual(codes, list.items.map((p) => p.code));
  }
});

test('?format=xlsx: sheet 月报 holds the monthly reports, never who reported', async () => {
  const one = (await as.admin.get(`/api/v1/projects/${FGW}`)).json;
  const r = await download('format=xlsx&department=FGW');
  const file = join(srv.dir, 'fgw.xlsx');
  writeFileSync(file, r.bytes);
  const { cells, xml } = sheetCells(file, 2);
  assert.deepEqual(['A1', 'C1', 'D1', 'E1'].map((c) => cells[c]),
    ['项目代码', '月份', '当月完成投资(亿元)', '形象进度(%)']);
  const rows = Object.keys(cells).filter((c) => /^A\d+$/.test(c) && cells[c] === FGW);
  assert.equal(rows.length, one.reports.length);
  const first = rows.map((c) => Number(c.slice(1))).sort((a, b) => a - b)[0];
  assert.equal(cells[`D${first}`], one.reports[0].investment);
  assert.match(cells[`C${first}`], /^\d{4}年\d{1,2}月$/);
  for (const who of new Set(one.reports.map((x) => x.actor).filter(Boolean))) {
    assert.ok(!xml.includes(who), `the reporter ${who} is not in the workbook`);
  }
});

test('?format=csv: the table with its English header, one row a project', async () => {
  const r = await as.anonymous.get(`${EXPORT}?format=csv&cluster=new_energy`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const lines = r.text.trim().split('\n');
  assert.equal(lines[0], 'code,name,cluster,type,area,department,leader,phase,total,plan,done,completion_pct,flags,sample');
  const list = (await as.anonymous.get('/api/v1/projects?limit=1000&cluster=new_energy')).json;
  assert.equal(lines.length - 1, list.total);
  assert.ok(lines.slice(1).every((l) => !/\d\.\d{6,}/.test(l)), 'numbers as entered, not 1.6599999999999999');
});

test('a report made as a clerk reaches the package, the clerk\'s name does not', async () => {
  const month = new Date(Date.now() - 40 * 86400e3).toISOString().slice(0, 7);
  const w = await as.clerk.post(`/api/v1/projects/${FGW}/reports`, { period: month, investment: 0.77, note: '导出测试' });
  assert.equal(w.status, 200, w.text);
  const r = await as.anonymous.get(`${EXPORT}?format=oc4ids&q=${FGW}`);
  assert.equal(r.status, 200, r.text);
  const fin = r.json.projects[0].metrics.find((m) => m.id === 'financialProgress');
  const o = fin.observations.find((x) => x.id === month);
  assert.equal(o?.value.amount, 77000000, `the report of ${month}`);
  assert.match(o.notes, /导出测试/);
  assert.ok(!r.text.includes('clerk'), 'who reported is not published');
  // made on demand, the package is dated by its last change: this report
  const at = (await as.admin.get(`/api/v1/projects/${FGW}`)).json.reports.find((x) => x.period === month).at;
  assert.equal(r.json.publishedDate, at);
});

test('the export route of the table is the one tested here, public', () => {
  const rt = routeTable().find((x) => x.pattern === EXPORT);
  assert.deepEqual([rt?.method, rt?.role], ['GET', 'public']);
});
