// An OpenID Connect provider on 127.0.0.1 shaped like Pro Santé Connect (acr eidas1, PKCE S256,
// scope_all with SubjectNameID = 8 + RPPS). Its login page stands for the CPS / e-CPS step: the
// identifier typed is the RPPS of the doctor who signs in.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

function loginPage(uid) {
	return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Pro Santé Connect (test)</title></head>
<body><main><h1>Pro Santé Connect (test)</h1>
<form method="post" action="/interaction/${uid}">
<label for="login">Numéro RPPS</label> <input id="login" name="login" required>
<button type="submit">Valider</button></form></main></body></html>`;
}

async function readForm(req) {
	let body = '';
	for await (const chunk of req) body += chunk;
	return new URLSearchParams(body);
}

export async function startOidcProvider({ port, redirectUri }) {
	const issuer = `http://127.0.0.1:${port}`;
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: 'pluri',
				client_secret: 'pluri-test-secret',
				redirect_uris: [redirectUri],
				response_types: ['code'],
				grant_types: ['authorization_code'],
				token_endpoint_auth_method: 'client_secret_basic'
			}
		],
		pkce: { required: () => true },
		acrValues: ['eidas1'],
		scopes: ['openid', 'scope_all'],
		claims: {
			openid: ['sub'],
			acr: ['acr'],
			scope_all: ['SubjectNameID', 'given_name', 'family_name']
		},
		cookies: { keys: ['pluri-test-cookie-key'] },
		features: { devInteractions: { enabled: false } },
		async findAccount(_ctx, id) {
			return {
				accountId: id,
				async claims() {
					return {
						sub: `psc-${id}`,
						SubjectNameID: `8${id}`,
						given_name: 'Test',
						family_name: 'PSC'
					};
				}
			};
		},
		async loadExistingGrant(ctx) {
			// Consent is implicit for this single trusted client, as with Pro Santé Connect.
			const grant = new ctx.oidc.provider.Grant({
				clientId: ctx.oidc.client.clientId,
				accountId: ctx.oidc.session.accountId
			});
			grant.addOIDCScope('openid scope_all');
			grant.addOIDCClaims(['acr', 'SubjectNameID', 'given_name', 'family_name']);
			await grant.save();
			return grant;
		}
	});
	const handleProvider = provider.callback();
	const server = createServer((req, res) => {
		if (!req.url?.startsWith('/interaction/')) return handleProvider(req, res);
		(async () => {
			const details = await provider.interactionDetails(req, res);
			if (req.method === 'GET') {
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				return res.end(loginPage(details.uid));
			}
			const login = (await readForm(req)).get('login') ?? '';
			await provider.interactionFinished(req, res, { login: { accountId: login, acr: 'eidas1' } });
		})().catch((e) => {
			res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(String(e));
		});
	});
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	return { issuer, close: () => new Promise((resolve) => server.close(resolve)) };
}
