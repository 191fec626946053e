/** Shared setup for the Arara Message engine tests: the fake, a credential store and a runner. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, runPoll, type RunResult } from '../harness/engine';
import type { CredentialStore } from '../harness/credentials';
import {
	startAraraMessageFake,
	type AraraFake,
	type AraraFakeOptions,
} from '../fakes/arara-message';

export const CRED_TYPE = 'araraMessageOAuth2Api';
export const CRED_NAME = 'Arara test';

export async function startFake(options: AraraFakeOptions = {}): Promise<AraraFake> {
	return await startAraraMessageFake(options);
}

/** Host and client only: the access token URL comes from the credential's default expression. */
export function credentialStore(fake: AraraFake, overrides: IDataObject = {}): CredentialStore {
	return {
		[CRED_NAME]: {
			type: CRED_TYPE,
			data: {
				host: fake.url,
				clientId: fake.credentials.clientId,
				clientSecret: fake.credentials.clientSecret,
				...overrides,
			},
		},
	};
}

export interface RunArara {
	parameters: IDataObject;
	input?: Array<IDataObject | INodeExecutionData>;
	credentials: CredentialStore;
	continueOnFail?: boolean;
	timezone?: string;
	/** The execution id the node sees; a fresh one per run by default. */
	executionId?: string;
	/** n8n's Retry On Fail, with the given Max. Tries and no wait between tries. */
	retryOnFail?: { maxTries: number };
}

export async function runArara(options: RunArara): Promise<RunResult> {
	return await runNode({
		node: {
			type: 'araraMessage',
			parameters: { resource: 'delivery', ...options.parameters },
			credentials: { [CRED_TYPE]: CRED_NAME },
			continueOnFail: options.continueOnFail,
			...(options.retryOnFail
				? { retryOnFail: true, maxTries: options.retryOnFail.maxTries, waitBetweenTries: 1 }
				: {}),
		},
		input: options.input ?? [{}],
		credentials: options.credentials,
		timezone: options.timezone,
		executionId: options.executionId,
	});
}

export async function pollArara(options: {
	parameters: IDataObject;
	credentials: CredentialStore;
	staticData: IDataObject;
	mode?: 'trigger' | 'manual';
}) {
	return await runPoll({
		node: {
			type: 'araraMessageTrigger',
			parameters: options.parameters,
			credentials: { [CRED_TYPE]: CRED_NAME },
		},
		credentials: options.credentials,
		staticData: options.staticData,
		mode: options.mode,
	});
}

/** Everything an error can carry once serialized, to grep for secrets. */
export { serializeForLeakCheck as serializeError } from '../harness/leaks';
