/**
 * The credential: its fields, its generic `authenticate` (api_user / api_key into the form body,
 * Accept-Language header), and its Test request, resolved the way n8n resolves them and sent to the fake.
 */
import type { ICredentialType, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper, withDefaults } from '../harness/credentials';
import { ensureReady } from '../harness/engine';
import { cachedCredentialType } from '../harness/node-types';
import { AUTH_ERROR_CODE, startCustomersMailCloudFake, type CustomersMailCloudFake } from '../fakes/customers-mail-cloud';

let fake: CustomersMailCloudFake;
let type: ICredentialType;

const workflow = new Workflow({
	nodes: [{ id: 'n', name: 'Node', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: {
		getByName: () => ({}) as never,
		getByNameAndVersion: () => ({ description: { properties: [] } }) as never,
		getKnownTypes: () => ({}),
	},
});

beforeAll(async () => {
	await ensureReady();
	type = cachedCredentialType('customersMailCloudApi')!;
	fake = await startCustomersMailCloudFake();
	fake.seed(3);
});
afterAll(async () => await fake.close());

function resolve(value: unknown, credentials: IDataObject): unknown {
	return workflow.expression.getParameterValue(
		value as string,
		null,
		0,
		0,
		'Node',
		[],
		'internal',
		{ $credentials: credentials } as never,
		undefined,
		false,
	);
}

/** Presses "Test": resolves the request, applies `authenticate` with n8n's expression engine, sends it. */
async function pressTest(data: IDataObject): Promise<{ status: number; body: string }> {
	const credentials = withDefaults('customersMailCloudApi', data as never) as IDataObject;
	const request = type.test!.request;
	const body = Object.fromEntries(
		Object.entries(request.body as IDataObject).map(([key, value]) => [key, resolve(value, credentials)]),
	) as IDataObject;
	const options: IHttpRequestOptions = {
		url: `${resolve(request.baseURL, credentials) as string}${request.url}`,
		method: request.method,
		headers: { ...(request.headers as IDataObject) },
		body,
	};
	const authenticated = await new TestCredentialsHelper({}).authenticate(
		credentials as never,
		'customersMailCloudApi',
		options,
		workflow,
		workflow.getNode('Node') as INode,
	);
	const response = await fetch(authenticated.url, {
		method: authenticated.method,
		headers: authenticated.headers as Record<string, string>,
		body: new URLSearchParams(authenticated.body as Record<string, string>).toString(),
	});
	return { status: response.status, body: await response.text() };
}

test('fields, defaults and the password field are as the issue names them', () => {
	const fields = Object.fromEntries(type.properties.map((property) => [property.name, property]));
	expect(type.displayName).toBe('Customers Mail Cloud API');
	expect(Object.keys(fields)).toEqual(['apiUser', 'apiKey', 'host', 'language', 'serverComposition']);
	expect(fields.apiKey.typeOptions?.password).toBe(true);
	expect(fields.host.default).toBe('https://api.smtps.jp');
	expect(fields.language.default).toBe('en');
	expect((fields.language.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['en', 'ja']);
});

test('authenticate puts api_user and api_key into the form body and the language into Accept-Language', async () => {
	const credentials = withDefaults('customersMailCloudApi', { apiUser: 'u', apiKey: 'k', language: 'ja', serverComposition: 'c' });
	const options = await new TestCredentialsHelper({}).authenticate(
		credentials,
		'customersMailCloudApi',
		{ url: 'x', method: 'POST', body: { server_composition: 'c' } },
		workflow,
		workflow.getNode('Node') as INode,
	);
	expect(options.body).toEqual({ server_composition: 'c', api_user: 'u', api_key: 'k' });
	expect(options.headers).toEqual({ 'Accept-Language': 'ja' });
});

test('Test passes for the right key (one-record list of the default server composition)', async () => {
	fake.server.resetLog();
	const { status, body } = await pressTest({ ...fake.credentials });
	expect(status).toBe(200);
	expect(JSON.parse(body).blocks).toHaveLength(1);
	const form = new URLSearchParams(fake.server.requests[0].body);
	expect(form.get('r')).toBe('1');
	expect(form.get('server_composition')).toBe('testcomp');
	expect(fake.server.requests[0].path).toBe('/transaction/v2/blocks/list.json');
});

test('Test fails for a wrong key with 401 and the provider error body', async () => {
	const { status, body } = await pressTest({ ...fake.credentials, apiKey: 'wrong' });
	expect(status).toBe(401);
	expect(JSON.parse(body).errors[0]).toMatchObject({ code: AUTH_ERROR_CODE, field: 'api_key' });
});

test('Test fails for an unknown default server composition with 10-002', async () => {
	const { status, body } = await pressTest({ ...fake.credentials, serverComposition: 'nope' });
	expect(status).toBe(400);
	expect(JSON.parse(body).errors[0].code).toBe('10-002');
});

test('a host with a trailing slash still reaches the API', async () => {
	const { status } = await pressTest({ ...fake.credentials, host: `${fake.url}/` });
	expect(status).toBe(200);
});
