// The province pipeline's reads over HTTP, end to end as a user waits: each
// path asked N times one after another on a kept-alive connection; prints
// "<name>_median_ms" and "<name>_p99_ms" lines.
// usage: node bench/pipeline.mjs BASE N name=path [name=path ...]
import http from 'node:http';

const [base, n, ...pairs] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(path) {
	return new Promise((resolve, reject) => {
		const t0 = process.hrtime.bigint();
		http.get(base + path, { agent }, (res) => {
			const parts = [];
			res.on('data', (c) => parts.push(c));
			res.on('end', () => {
				const ms = Number(process.hrtime.bigint() - t0) / 1e6;
				if (res.statusCode !== 200)
					reject(new Error(`${path}: ${res.statusCode} ${Buffer.concat(parts)}`));
				else
					resolve(ms);
			});
		}).on('error', reject);
	});
}

function quantile(a, q) {
	const s = [...a].sort((x, y) => x - y);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

for (const pair of pairs) {
	const at = pair.indexOf('=');
	const name = pair.slice(0, at), path = pair.slice(at + 1);
	for (let k = 0; k < 5; k++)
		await get(path); // warm: the connection, the first answer
	const times = [];
	for (let k = 0; k < Number(n); k++)
		times.push(await get(path));
	console.log(`${name}_median_ms: ${quantile(times, 0.5).toFixed(3)} ms`);
	console.log(`${name}_p99_ms: ${quantile(times, 0.99).toFixed(3)} ms`);
}
agent.destroy();
