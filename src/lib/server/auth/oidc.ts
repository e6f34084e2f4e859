import type { Cookies } from '@sveltejs/kit';
import * as client from 'openid-client';
import { extractRpps, isAcceptedAcr } from '$lib/domain/pro-sante-connect';
import { getPublicOrigin } from '../config';
import { signPayload, verifyPayload } from '../signing';

const FLOW_COOKIE = 'pluri_oidc';

export interface OidcSettings {
	issuer: string;
	clientId: string;
	clientSecret: string;
	scope: string;
	acr: string;
	label: string;
}

export function getOidcSettings(): OidcSettings | null {
	const {
		OIDC_ISSUER: issuer,
		OIDC_CLIENT_ID: clientId,
		OIDC_CLIENT_SECRET: clientSecret
	} = process.env;
	if (!issuer || !clientId || !clientSecret) return null;
	return {
		issuer,
		clientId,
		clientSecret,
		scope: process.env.OIDC_SCOPE ?? 'openid scope_all',
		acr: process.env.OIDC_ACR ?? 'eidas1',
		label: process.env.OIDC_LABEL ?? 'Pro Santé Connect'
	};
}

let discovered: { key: string; config: Promise<client.Configuration> } | undefined;

function isLoopback(url: URL): boolean {
	return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function getConfiguration(s: OidcSettings): Promise<client.Configuration> {
	const key = `${s.issuer}|${s.clientId}`;
	if (discovered?.key !== key) {
		const issuer = new URL(s.issuer);
		// Plain http is allowed only for a provider on this machine (tests, local demo).
		const options = isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined;
		const config = client.discovery(issuer, s.clientId, s.clientSecret, undefined, options);
		config.catch(() => (discovered = undefined));
		discovered = { key, config };
	}
	return discovered.config;
}

function redirectUri(): string {
	return `${getPublicOrigin()}/login/oidc/callback`;
}

interface FlowState {
	state: string;
	nonce: string;
	verifier: string;
	redirectTo: string;
}

/** Starts the authorization code flow with PKCE (S256); the flow's secrets wait in a signed cookie. */
export async function startOidcLogin(
	s: OidcSettings,
	cookies: Cookies,
	redirectTo: string,
	secure: boolean
): Promise<URL> {
	const config = await getConfiguration(s);
	const flow: FlowState = {
		state: client.randomState(),
		nonce: client.randomNonce(),
		verifier: client.randomPKCECodeVerifier(),
		redirectTo
	};
	const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
	cookies.set(FLOW_COOKIE, `${payload}.${await signPayload(`oidc:${payload}`)}`, {
		path: '/login/oidc',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: 600
	});
	return client.buildAuthorizationUrl(config, {
		redirect_uri: redirectUri(),
		scope: s.scope,
		acr_values: s.acr,
		state: flow.state,
		nonce: flow.nonce,
		code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
		code_challenge_method: 'S256'
	});
}

export type OidcOutcome =
	| { ok: true; rpps: string; subject: string; redirectTo: string }
	| { ok: false; reason: 'flow' | 'provider' | 'acr' | 'rpps'; detail: string };

async function readFlow(cookies: Cookies): Promise<FlowState | null> {
	const raw = cookies.get(FLOW_COOKIE);
	if (!raw) return null;
	const [payload, sig] = raw.split('.');
	if (!payload || !sig || !(await verifyPayload(`oidc:${payload}`, sig))) return null;
	try {
		return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as FlowState;
	} catch {
		return null;
	}
}

/** Completes the flow: code exchange with the PKCE verifier, state and nonce checks, userinfo. */
export async function finishOidcLogin(
	s: OidcSettings,
	cookies: Cookies,
	callbackUrl: URL
): Promise<OidcOutcome> {
	const flow = await readFlow(cookies);
	cookies.delete(FLOW_COOKIE, { path: '/login/oidc' });
	if (!flow) return { ok: false, reason: 'flow', detail: 'missing or tampered flow cookie' };
	try {
		const config = await getConfiguration(s);
		const current = new URL(callbackUrl.pathname + callbackUrl.search, getPublicOrigin());
		const tokens = await client.authorizationCodeGrant(config, current, {
			pkceCodeVerifier: flow.verifier,
			expectedState: flow.state,
			expectedNonce: flow.nonce,
			idTokenExpected: true
		});
		const idClaims = tokens.claims();
		if (!idClaims) return { ok: false, reason: 'provider', detail: 'no id token' };
		if (!isAcceptedAcr(idClaims.acr, s.acr))
			return { ok: false, reason: 'acr', detail: `acr ${String(idClaims.acr)}` };
		const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
		const rpps = extractRpps({ ...idClaims, ...info });
		if (!rpps) return { ok: false, reason: 'rpps', detail: 'no RPPS in claims' };
		return { ok: true, rpps, subject: idClaims.sub, redirectTo: flow.redirectTo };
	} catch (e) {
		return { ok: false, reason: 'provider', detail: e instanceof Error ? e.message : String(e) };
	}
}
