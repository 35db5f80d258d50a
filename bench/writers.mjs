// The freshness check that runs beside the write load of bench/run.sh:
// for SECONDS, one more clerk writes a figure of its own and reads it
// back at once; every read must show the write just answered.  Against a
// running civstat serve (URL as argv[2]) where bench-clerk (password
// argv[3]) exists.  Prints "name: value unit" lines.
import http from 'node:http';

const [url, password, seconds = '5'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(method, path, headers, body) {
  return new Promise((ok, fail) => {
    const req = http.request(url + path, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => ok({ status: res.statusCode, text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

const login = await fetch(`${url}/api/v1/login`, {
  method: 'POST', body: JSON.stringify({ name: 'bench-clerk', password }),
});
if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
const headers = { cookie: login.headers.get('set-cookie').split(';')[0], 'x-csrf-token': (await login.json()).csrf };

// A figure nobody else writes: the area the load leaves alone, 2027.
const until = Date.now() + Number(seconds) * 1000;
let checks = 0, stale = 0, errors = 0;
for (let k = 0; Date.now() < until; k++) {
  const period = `2027-${String((k % 12) + 1).padStart(2, '0')}`, value = k + 0.25;
  const w = await call('POST', '/api/v1/values', headers,
    JSON.stringify({ figures: [{ indicator: 'FAI', area: '210700', period, value }] }));
  if (w.status !== 200) { errors++; continue; }
  const back = await call('GET', '/api/v1/values?indicator=FAI&area=210700&state=draft&limit=1000', headers);
  const items = back.status === 200 ? JSON.parse(back.text).items : [];
  checks++;
  if (!items.some((v) => v.period === period && v.value === value)) stale++;
}
console.log(`api_fresh_checks: ${checks} reads`);
console.log(`api_stale_reads_after_write: ${stale}`);
console.log(`api_fresh_check_errors: ${errors}`);
