// The reads of the province's requests over HTTP, as the 12345 centre's
// staff wait for them: the rates of a random department × month (GET
// /api/v1/requests/stats) and the overdue queue's first page (GET
// /api/v1/requests?overdue=1, with the counts by state the queue shows and
// without them), each N times one after another (or for 30 seconds, when
// that is less) on a kept-alive connection, logged in as bench-admin.
// Prints "<name>_median_ms" and "<name>_p99_ms" lines.
// usage: node bench/requests.mjs BASE N PASSWORD DEPARTMENTS.csv FROM TO
//   (FROM, TO: the first and last month received, 2022-01 2026-10)
import http from 'node:http';
import { readFileSync } from 'node:fs';

const [base, n, password, deptFile, from, to] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const login = await fetch(`${base}/api/v1/login`, {
	method: 'POST', body: JSON.stringify({ name: 'bench-admin', password }),
});
if (!login.ok)
	throw new Error(`login: ${login.status} ${await login.text()}`);
const headers = { cookie: login.headers.get('set-cookie').split(';')[0] };

function get(path) {
	return new Promise((resolve, reject) => {
		const t0 = process.hrtime.bigint();
		http.get(base + path, { agent, headers }, (res) => {
			const parts = [];
			res.on('data', (c) => parts.push(c));
			res.on('end', () => {
				const ms = Number(process.hrtime.bigint() - t0) / 1e6;
				const body = Buffer.concat(parts).toString();
				if (res.statusCode !== 200)
					reject(new Error(`${path}: ${res.statusCode} ${body.slice(0, 300)}`));
				else
					resolve({ ms, body });
			});
		}).on('error', reject);
	});
}

function quantile(a, q) {
	const s = [...a].sort((x, y) => x - y);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

// The same random choices every run: a small LCG, not Math.random.
let seed = 7;
function pick(a) {
	seed = (seed * 1103515245 + 12345) % 2147483648;
	return a[seed % a.length];
}

// The city bureaus (C01-ZJJ ...), where the requests are dispatched.
const departments = readFileSync(deptFile, 'utf8').split('\n').slice(1)
	.map((l) => l.split(',')[0]).filter((c) => c.includes('-'));
const months = [];
for (let [y, m] = from.split('-').map(Number); `${y}-${String(m).padStart(2, '0')}` <= to;
	m === 12 ? (y++, m = 1) : m++)
	months.push(`${y}-${String(m).padStart(2, '0')}`);

async function measure(name, path) {
	for (let k = 0; k < 5; k++)
		await get(path()); // warm: the connection, the first answer
	const times = [], until = Date.now() + 30000;
	let last;
	for (let k = 0; k < Number(n) && Date.now() < until; k++) {
		last = await get(path());
		times.push(last.ms);
	}
	console.log(`${name}_median_ms: ${quantile(times, 0.5).toFixed(3)} ms`);
	console.log(`${name}_p99_ms: ${quantile(times, 0.99).toFixed(3)} ms`);
	return last.body;
}

await measure('requests_rates_department_month', () => {
	const m = pick(months);
	return `/api/v1/requests/stats?from=${m}&to=${m}&department=${pick(departments)}`;
});
const page = JSON.parse(await measure('requests_overdue_first_page',
	() => '/api/v1/requests?overdue=1&sort=due&limit=20'));
console.log(`requests_overdue: ${page.total}`);
await measure('requests_overdue_first_page_nocounts',
	() => '/api/v1/requests?overdue=1&sort=due&limit=20&counts=0');
agent.destroy();
