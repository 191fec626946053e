/**
 * The Naimar SMS API credential: its `authenticate` (login into the JSON body, length checks) and
 * its Test request, resolved the way n8n resolves them and sent to the fake gateway.
 */
import type { ICredentialType, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import {
	authenticateRequest,
	credentialTestRequest,
	runCredentialTest,
} from '../harness/credentials';
import { ensureReady } from '../harness/engine';
import { cachedCredentialType } from '../harness/node-types';
import { startNaimarSmsFake, type NaimarSmsFake } from '../fakes/naimar-sms';

let fake: NaimarSmsFake;
let type: ICredentialType;

beforeAll(async () => {
	await ensureReady();
	type = cachedCredentialType('naimarSmsApi')!;
	fake = await startNaimarSmsFake();
});
afterAll(async () => await fake.close());

async function authenticate(
	data: IDataObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	return await authenticateRequest('naimarSmsApi', data as never, options);
}

/** The Test request's URL, its expressions resolved against the credential as n8n's credential tester does. */
function resolveTestUrl(data: IDataObject): string {
	return credentialTestRequest('naimarSmsApi', data as never).url;
}

async function pressTest(data: IDataObject): Promise<{ status: number; body: string }> {
	return await runCredentialTest('naimarSmsApi', data as never);
}

test('has the documented default Base URL and a password field', () => {
	const fields = Object.fromEntries(type.properties.map((property) => [property.name, property]));
	expect(fields.baseUrl.default).toBe('http://text421.naimar.sk/api/v6');
	expect(fields.password.typeOptions?.password).toBe(true);
	expect(fields.username.description).toContain('at most 16');
	expect(fields.password.description).toContain('at most 16');
	expect(String(fields.baseUrl.hint)).toContain('plain http');
});

test('authenticate puts username and password into the JSON body, before the ids', async () => {
	const options = await authenticate(
		{ username: 'user', password: 'pass' },
		{ url: 'x', method: 'POST', body: { deliveries: [{ id: '1' }] } },
	);
	expect(options.body).toEqual({ username: 'user', password: 'pass', deliveries: [{ id: '1' }] });
	expect(Object.keys(options.body as IDataObject)).toEqual(['username', 'password', 'deliveries']);
});

test('authenticate refuses a password over 16 characters, naming the field, never the value', async () => {
	const secret = 'seventeen-chars!!';
	const error = await authenticate(
		{ username: 'user', password: secret },
		{ url: 'x', body: {} },
	).catch((e: Error) => e);
	expect(error).toBeInstanceOf(Error);
	expect((error as Error).message).toContain('"Password"');
	expect((error as Error).message).toContain('at most 16');
	expect(JSON.stringify(error) + (error as Error).message + (error as Error).stack).not.toContain(
		secret,
	);
});

test('authenticate refuses a username over 16 characters', async () => {
	await expect(
		authenticate({ username: 'u'.repeat(17), password: 'p' }, { url: 'x', body: {} }),
	).rejects.toThrow('"Username" in the Naimar SMS credential is 17 characters long');
});

test('the Test button: a right login answers 200, with no real message id needed', async () => {
	const result = await pressTest(fake.credentials);
	expect(result.status).toBe(200);
	expect(JSON.parse(result.body)).toEqual({ delivery: [] });
});

test('the Test button: a wrong login answers 401 unknown username/password', async () => {
	const result = await pressTest({ ...fake.credentials, password: 'not-the-one' });
	expect(result.status).toBe(401);
	expect(JSON.parse(result.body)).toEqual({
		response: { status: 401, description: 'unknown username/password' },
	});
});

test('the Test URL tolerates a trailing slash in the Base URL', () => {
	expect(resolveTestUrl({ ...fake.credentials, baseUrl: `${fake.baseUrl}/` })).toBe(
		`${fake.baseUrl}/rest/delivery/json/`,
	);
	expect(resolveTestUrl({ username: 'u', password: 'p' })).toBe(
		'http://text421.naimar.sk/api/v6/rest/delivery/json/',
	);
});

test('the Test URL is the one the node uses: an emptied Base URL falls back to the default, spaces are trimmed', async () => {
	expect(resolveTestUrl({ username: 'u', password: 'p', baseUrl: '' })).toBe(
		'http://text421.naimar.sk/api/v6/rest/delivery/json/',
	);
	expect(resolveTestUrl({ ...fake.credentials, baseUrl: ` ${fake.baseUrl}/ ` })).toBe(
		`${fake.baseUrl}/rest/delivery/json/`,
	);
	const result = await pressTest({ ...fake.credentials, baseUrl: ` ${fake.baseUrl} ` });
	expect(result.status).toBe(200);
});
