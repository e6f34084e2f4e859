// A round-robin HTTP proxy for trying several Pluri instances on one machine, as a load
// balancer would spread requests (no sticky sessions; streams are passed through unbuffered).
//
//   node scripts/round-robin.js 3000 http://127.0.0.1:3001 http://127.0.0.1:3002
import { createServer, request } from 'node:http';

const [port, ...targets] = process.argv.slice(2);
if (!port || targets.length === 0) {
	console.error('Usage : node scripts/round-robin.js <port> <instance> [<instance>…]');
	process.exit(2);
}
const backends = targets.map((t) => new URL(t));
let next = 0;

createServer((req, res) => {
	const target = backends[next++ % backends.length];
	const upstream = request(
		{
			host: target.hostname,
			port: target.port,
			path: req.url,
			method: req.method,
			headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' }
		},
		(answer) => {
			res.writeHead(answer.statusCode ?? 502, {
				...answer.headers,
				'x-pluri-instance': target.port
			});
			answer.pipe(res);
		}
	);
	upstream.on('error', () => {
		if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
		res.end('Instance injoignable');
	});
	req.pipe(upstream);
}).listen(Number(port), '127.0.0.1', () =>
	console.log(`Répartition sur ${targets.join(', ')} : http://127.0.0.1:${port}`)
);
