/**
 * The credentials side of the engine, as n8n's server does it: decrypted data with the type's
 * defaults applied, generic `authenticate` resolved with n8n's own expression engine, function
 * `authenticate` called as is, OAuth2 token data stored back (and counted, for tests).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { cachedCredentialType } from './node-types';

export interface StoredCredential {
	type: string;
	data: ICredentialDataDecryptedObject;
	/** How many times n8n saved new OAuth2 token data for it. */
	tokenUpdates?: number;
	/** How many times a node had it read and decrypted (in n8n: from the database). */
	reads?: number;
}

/** Credentials by name, as nodes reference them. */
export type CredentialStore = Record<string, StoredCredential>;

function propertiesOf(type: ICredentialType | undefined): INodeProperties[] {
	return type?.properties ?? [];
}

/**
 * As n8n's server does on decryption: the type's defaults (through `extends` too) fill in what
 * the stored data lacks, then expressions in the result resolve with `$self` = the credential.
 */
export function withDefaults(
	typeName: string,
	data: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const properties = allPropertiesOf(typeName);
	const filled = NodeHelpers.getNodeParameters(
		properties,
		data as INodeParameters,
		true,
		false,
		null,
		null,
	) as ICredentialDataDecryptedObject;
	if (data.oauthTokenData !== undefined) filled.oauthTokenData = data.oauthTokenData;
	return resolveExpressions(filled, {}, filled) as ICredentialDataDecryptedObject;
}

/** A workflow of one node, for n8n's expression engine to resolve credential expressions in. */
const CREDENTIAL_NODE = 'Credential';
let expressionWorkflow: Workflow | undefined;
function credentialWorkflow(): Workflow {
	expressionWorkflow ??= new Workflow({
		nodes: [
			{
				id: 'cred',
				name: CREDENTIAL_NODE,
				type: 'cred',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
		],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => ({}) as never,
			getByNameAndVersion: () => ({ description: { properties: [] } }) as never,
			getKnownTypes: () => ({}),
		},
	});
	return expressionWorkflow;
}

/** Resolves every expression in `value` (nested too) with n8n's engine, `$credentials` and `$self` given. */
function resolveExpressions(
	value: unknown,
	additionalKeys: IDataObject,
	self: ICredentialDataDecryptedObject = {},
): unknown {
	return credentialWorkflow().expression.getParameterValue(
		value as INodeParameters,
		null,
		0,
		0,
		CREDENTIAL_NODE,
		[],
		'internal',
		additionalKeys as never,
		undefined,
		false,
		self,
	);
}

/** A request with the credential's `authenticate` applied, the credential's defaults filled in first. */
export async function authenticateRequest(
	typeName: string,
	data: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const workflow = credentialWorkflow();
	return await new TestCredentialsHelper({}).authenticate(
		withDefaults(typeName, data),
		typeName,
		options,
		workflow,
		workflow.getNode(CREDENTIAL_NODE) as INode,
	);
}

/** The credential's Test request with its expressions resolved against the credential, as n8n's credential tester does. */
export function credentialTestRequest(
	typeName: string,
	data: ICredentialDataDecryptedObject,
): IHttpRequestOptions {
	const request = structuredClone(cachedCredentialType(typeName)!.test!.request);
	const resolved = resolveExpressions(request, {
		$credentials: withDefaults(typeName, data),
	}) as typeof request;
	return {
		url: `${resolved.baseURL ?? ''}${resolved.url ?? ''}`,
		method: resolved.method,
		headers: { ...resolved.headers },
		body: resolved.body,
	};
}

/** What n8n's editor shows after Test: OK or an error message. */
export interface CredentialTestVerdict {
	status: 'OK' | 'Error';
	message: string;
}

/** lodash `get` as n8n's tester uses it for rule keys: `a.b`, `a[0].b`. */
function valueAtPath(value: unknown, path: string): unknown {
	let current = value;
	for (const part of path
		.replace(/\[(\w+)\]/g, '.$1')
		.split('.')
		.filter(Boolean)) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

/**
 * n8n's verdict on a Test answer (CredentialsTester.testCredentials): a status outside 2xx fails
 * (a `responseCode` rule may name the message); a 2xx answer fails when a `responseSuccessBody`
 * rule's key holds its value; otherwise the test passes.
 */
export function credentialTestVerdict(
	typeName: string,
	answer: { status: number; statusText: string; body: string },
): CredentialTestVerdict {
	const rules = cachedCredentialType(typeName)?.test?.rules ?? [];
	if (answer.status < 200 || answer.status > 299) {
		for (const rule of rules) {
			if (rule.type === 'responseCode' && rule.properties.value === answer.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return {
			status: 'Error',
			message: answer.statusText || `Received HTTP status code: ${answer.status}`,
		};
	}
	let json: unknown;
	try {
		json = JSON.parse(answer.body);
	} catch {
		json = { data: answer.body };
	}
	for (const rule of rules) {
		if (
			rule.type === 'responseSuccessBody' &&
			valueAtPath(json, rule.properties.key) === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * Presses a credential's Test button: resolves its Test request, applies `authenticate`, sends
 * the request (the body as a form when the request says so, as JSON otherwise) and judges the
 * answer with the credential's `test.rules` as n8n's server does.
 */
export async function runCredentialTest(
	typeName: string,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: number; body: string; verdict: CredentialTestVerdict }> {
	const request = await authenticateRequest(typeName, data, credentialTestRequest(typeName, data));
	const headers = { ...(request.headers as Record<string, string>) };
	const isForm = Object.entries(headers).some(
		([name, value]) =>
			name.toLowerCase() === 'content-type' && value.includes('application/x-www-form-urlencoded'),
	);
	if (!isForm) headers['content-type'] = 'application/json';
	const response = await fetch(request.url, {
		method: request.method,
		headers,
		body: isForm
			? new URLSearchParams(request.body as Record<string, string>).toString()
			: JSON.stringify(request.body),
	});
	const body = await response.text();
	const verdict = credentialTestVerdict(typeName, {
		status: response.status,
		statusText: response.statusText,
		body,
	});
	return { status: response.status, body, verdict };
}

function allPropertiesOf(typeName: string): INodeProperties[] {
	const type = cachedCredentialType(typeName);
	const inherited = (type?.extends ?? []).flatMap((parent) => allPropertiesOf(parent));
	const own = propertiesOf(type);
	const ownNames = new Set(own.map((property) => property.name));
	return [...inherited.filter((property) => !ownNames.has(property.name)), ...own];
}

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(name: string): string[] {
		const parents = cachedCredentialType(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = cachedCredentialType(typeName)?.authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		const resolve = (value: unknown) =>
			workflow.expression.getParameterValue(
				value as string,
				null,
				0,
				0,
				node.name,
				[],
				'internal',
				{ $credentials: credentials } as never,
				undefined,
				false,
			);
		for (const [section, entries] of Object.entries(authenticate.properties) as Array<
			[string, IDataObject]
		>) {
			const target = ((requestOptions as unknown as Record<string, IDataObject | undefined>)[
				section
			] ??= {});
			for (const [key, value] of Object.entries(entries)) {
				target[resolve(key) as string] = resolve(value) as string;
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by nodes');
	}

	async getDecrypted(
		_additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store[nodeCredentials.name];
		if (!stored || stored.type !== type) {
			throw new Error(`No test credential "${nodeCredentials.name}" of type ${type}`);
		}
		stored.reads = (stored.reads ?? 0) + 1;
		return withDefaults(type, structuredClone(stored.data));
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store[nodeCredentials.name].data = structuredClone(data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	) {
		const stored = this.store[nodeCredentials.name];
		stored.data = {
			...stored.data,
			oauthTokenData: structuredClone(data.oauthTokenData) as IDataObject,
		};
		stored.tokenUpdates = (stored.tokenUpdates ?? 0) + 1;
	}

	/** Asked by newer n8n before every getCredentials; none of our types restrict nodes. */
	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** Called by newer n8n after an OAuth2 token refresh. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	) {
		const preAuthentication = cachedCredentialType(typeName)?.preAuthentication;
		return preAuthentication
			? ((await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject)
			: undefined;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return propertiesOf(cachedCredentialType(type));
	}
}
