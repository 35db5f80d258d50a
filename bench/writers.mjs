// 16 writers post single figures while 50 readers read progress, for 5 s,
// against a running civstat serve (URL as argv[2]) where the account
// bench-clerk (department FGW, password argv[3]) exists.  Each writer reads
// its figure back right after the answer: it must be there.  Prints
// "name: value unit" lines.
import http from 'node:http';

const [url, password] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });

// A small keep-alive client: fetch costs more than the server does.
function call(method, path, headers, body) {
  return new Promise((ok, fail) => {
    const req = http.request(url + path, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => ok({ ok: res.statusCode === 200, status: res.statusCode, text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}
const SECONDS = 5, WRITERS = 16, READERS = 50;
const AREAS = ['210702', '210703', '210711', '210726', '210727', '210781', '210782', 'JZ-KFQ', 'JZ-SSXQ', 'JZ-GXQ'];

const login = await fetch(`${url}/api/v1/login`, {
  method: 'POST', body: JSON.stringify({ name: 'bench-clerk', password }),
});
if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
const headers = { cookie: login.headers.get('set-cookie').split(';')[0], 'x-csrf-token': (await login.json()).csrf };

const until = Date.now() + SECONDS * 1000;
let writes = 0, writeErrors = 0, stale = 0, reads = 0, readErrors = 0;

async function writer(w) {
  for (let k = 0; Date.now() < until; k++) {
    // Each writer keeps correcting its own draft figure, as a clerk does.
    const area = AREAS[w % AREAS.length];
    const period = `2026-${String((w % 12) + 1).padStart(2, '0')}`;
    const value = w * 100000 + k + 0.5;
    const r = await call('POST', '/api/v1/values', headers,
      JSON.stringify({ figures: [{ indicator: 'FAI', area, period, value }] }));
    if (!r.ok) { writeErrors++; continue; }
    writes++;
    const back = await call('GET', `/api/v1/values?indicator=FAI&area=${area}&state=draft&limit=1000`, headers);
    const items = JSON.parse(back.text).items || [];
    if (!items.some((v) => v.period === period && v.value === value)) stale++;
  }
}

async function reader() {
  while (Date.now() < until) {
    const r = await call('GET', '/api/v1/progress?assessed=1&period=2025-09', {});
    if (r.ok) reads++; else readErrors++;
  }
}

const t0 = Date.now();
await Promise.all([...Array(WRITERS)].map((_, w) => writer(w)).concat([...Array(READERS)].map(reader)));
const s = (Date.now() - t0) / 1000;
console.log(`api_writes_per_second: ${Math.round(writes / s)} writes/s`);
console.log(`api_reads_per_second_during_writes: ${Math.round(reads / s)} req/s`);
console.log(`api_write_errors: ${writeErrors}`);
console.log(`api_read_errors: ${readErrors}`);
console.log(`api_stale_reads_after_write: ${stale}`);
