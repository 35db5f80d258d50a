// Cross-node freshness (issue 5): a figure written on one node, answered,
// then read on the other node until it shows; the delay from the answer
// to the first read that shows it, over N writes alternating between the
// nodes.  Prints "name: value unit" lines.
// usage: node bench/crossnode.mjs URL_A URL_B USER PASSWORD [N]
const [urlA, urlB, user, password, nArg] = process.argv.slice(2);
const N = Number(nArg || 200);

async function login(url) {
  const res = await fetch(`${url}/api/v1/login`, { method: 'POST', body: JSON.stringify({ name: user, password }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`login: ${res.status} ${text}`);
  return { cookie: res.headers.get('set-cookie').split(';')[0], 'x-csrf-token': JSON.parse(text).csrf };
}

const auth = await login(urlA);
const read = async (url) => {
  const r = await fetch(`${url}/api/v1/values?indicator=FAI&area=210726&limit=1000`, { headers: auth });
  const j = await r.json();
  return j.items.find((f) => f.period === '2026-10')?.value;
};

const delays = [];
let errors = 0;
for (let k = 0; k < N; k++) {
  const [from, to] = k % 2 ? [urlB, urlA] : [urlA, urlB];
  const value = 10000 + k;
  const r = await fetch(`${from}/api/v1/values`, {
    method: 'POST', headers: auth,
    body: JSON.stringify({ figures: [{ indicator: 'FAI', area: '210726', period: '2026-10', value }] }),
  });
  await r.text();
  if (!r.ok) { errors++; continue; }
  const t0 = process.hrtime.bigint();
  for (;;) {
    if ((await read(to)) === value) break;
    if (Number(process.hrtime.bigint() - t0) > 5e9) { errors++; break; }
  }
  delays.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
delays.sort((a, b) => a - b);
const q = (p) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))];
console.log(`pg_cross_node_median_ms: ${q(0.5).toFixed(2)} ms`);
console.log(`pg_cross_node_p99_ms: ${q(0.99).toFixed(2)} ms`);
console.log(`pg_cross_node_writes: ${delays.length}`);
console.log(`pg_cross_node_errors: ${errors}`);
