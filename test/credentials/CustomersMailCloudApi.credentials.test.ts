/**
 * The credential: its fields, its generic `authenticate` (api_user / api_key into the form body,
 * Accept-Language header), and its Test request, resolved the way n8n resolves them and sent to the fake.
 */
import type { ICredentialType, IDataObject } from 'n8n-workflow';

import { authenticateRequest, runCredentialTest } from '../harness/credentials';
import { ensureReady } from '../harness/engine';
import { cachedCredentialType } from '../harness/node-types';
import {
	AUTH_ERROR_CODE,
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
} from '../fakes/customers-mail-cloud';

let fake: CustomersMailCloudFake;
let type: ICredentialType;

beforeAll(async () => {
	await ensureReady();
	type = cachedCredentialType('customersMailCloudApi')!;
	fake = await startCustomersMailCloudFake();
	fake.seed(3);
});
afterAll(async () => await fake.close());

/** Presses "Test": the request resolved, `authenticate` applied with n8n's expression engine, sent. */
async function pressTest(data: IDataObject) {
	return await runCredentialTest('customersMailCloudApi', data as never);
}

test('fields, defaults and the password field are the published ones (saved workflows and credentials use them)', () => {
	const fields = Object.fromEntries(type.properties.map((property) => [property.name, property]));
	expect(type.displayName).toBe('Customers Mail Cloud API');
	expect(Object.keys(fields)).toEqual([
		'apiUser',
		'apiKey',
		'host',
		'language',
		'serverComposition',
		'zipPassword',
	]);
	expect(fields.apiKey.typeOptions?.password).toBe(true);
	expect(fields.zipPassword.typeOptions?.password).toBe(true);
	expect(fields.zipPassword.required).toBeFalsy();
	expect(fields.zipPassword.default).toBe('');
	expect(fields.host.default).toBe('https://api.smtps.jp');
	expect(fields.language.default).toBe('en');
	expect(
		(fields.language.options as Array<{ value: string }>).map((option) => option.value),
	).toEqual(['en', 'ja']);
});

test('authenticate puts api_user and api_key into the form body and the language into Accept-Language', async () => {
	const options = await authenticateRequest(
		'customersMailCloudApi',
		{ apiUser: 'u', apiKey: 'k', language: 'ja', serverComposition: 'c' },
		{ url: 'x', method: 'POST', body: { server_composition: 'c' } },
	);
	expect(options.body).toEqual({ server_composition: 'c', api_user: 'u', api_key: 'k' });
	expect(options.headers).toEqual({ 'Accept-Language': 'ja' });
});

test('Test passes for the right key (one-record list of the default server composition)', async () => {
	fake.server.resetLog();
	const { status, body, verdict } = await pressTest({ ...fake.credentials });
	expect(status).toBe(200);
	expect(verdict).toEqual({ status: 'OK', message: 'Connection successful!' });
	expect(JSON.parse(body).blocks).toHaveLength(1);
	const form = new URLSearchParams(fake.server.requests[0].body);
	expect(form.get('r')).toBe('1');
	expect(form.get('server_composition')).toBe('testcomp');
	expect(fake.server.requests[0].path).toBe('/transaction/v2/blocks/list.json');
});

test('Test fails for a wrong key with 401 and the provider error body', async () => {
	const { status, body, verdict } = await pressTest({ ...fake.credentials, apiKey: 'wrong' });
	expect(status).toBe(401);
	expect(JSON.parse(body).errors[0]).toMatchObject({ code: AUTH_ERROR_CODE, field: 'api_key' });
	expect(verdict.status).toBe('Error');
});

test('Test fails for a wrong key answered with HTTP 200 and an errors body (decided by the body)', async () => {
	const refusal = JSON.stringify({
		errors: [{ code: AUTH_ERROR_CODE, field: 'api_key', message: 'Authentication failed.' }],
	});
	fake.server.inject({ kind: 'status', status: 200, body: refusal });
	const { status, verdict } = await pressTest({ ...fake.credentials, apiKey: 'wrong' });
	expect(status).toBe(200);
	expect(verdict.status).toBe('Error');
	expect(verdict.message).toMatch(/did not accept the credential/);
	expect(verdict.message).not.toContain('wrong');
});

test('Test fails for an unknown default server composition answered with HTTP 200, naming the field', async () => {
	const unknown = JSON.stringify({
		errors: [
			{
				code: '10-002',
				field: 'server_composition',
				message: 'Specified server composition, nope, was not found.',
			},
		],
	});
	fake.server.inject({ kind: 'status', status: 200, body: unknown });
	const { verdict } = await pressTest({ ...fake.credentials, serverComposition: 'nope' });
	expect(verdict).toEqual({
		status: 'Error',
		message: expect.stringContaining('Default Server Composition'),
	});
});

test('Test fails for an HTML page answered with HTTP 200 (a wrong Host behind a proxy)', async () => {
	fake.server.inject({ kind: 'html', status: 200 });
	const { verdict } = await pressTest({ ...fake.credentials });
	expect(verdict.status).toBe('Error');
});

test('Test fails for an unknown default server composition with 10-002', async () => {
	const { status, body, verdict } = await pressTest({
		...fake.credentials,
		serverComposition: 'nope',
	});
	expect(status).toBe(400);
	expect(verdict.status).toBe('Error');
	expect(JSON.parse(body).errors[0].code).toBe('10-002');
});

test('a host with a trailing slash still reaches the API', async () => {
	const { status } = await pressTest({ ...fake.credentials, host: `${fake.url}/` });
	expect(status).toBe(200);
});
