/** Shared test setup: the fake, the credential store and a one-call runner for the node. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, runPoll, type RunResult } from '../harness/engine';
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
} from '../fakes/customers-mail-cloud';

export const CREDENTIAL_NAME = 'cmc';
export const CREDENTIAL_TYPE = 'customersMailCloudApi';

/**
 * One fake for the whole test file, handed to `started` once it listens, and emptied (no blocks,
 * no request log, no faults) before every test.
 */
export function useFakePerFile(started: (fake: CustomersMailCloudFake) => void): void {
	let fake: CustomersMailCloudFake;
	beforeAll(async () => {
		fake = await startCustomersMailCloudFake();
		started(fake);
	});
	afterAll(async () => await fake.close());
	beforeEach(() => {
		fake.reset();
		fake.server.resetLog();
		fake.server.clearFaults();
	});
}

export function credentialStore(fake: CustomersMailCloudFake, overrides: IDataObject = {}) {
	return {
		[CREDENTIAL_NAME]: { type: CREDENTIAL_TYPE, data: { ...fake.credentials, ...overrides } },
	};
}

export interface RunCmcOptions {
	input?: Array<IDataObject | INodeExecutionData>;
	continueOnFail?: boolean;
	credentials?: IDataObject;
}

export async function runCmc(
	fake: CustomersMailCloudFake,
	parameters: IDataObject,
	options: RunCmcOptions = {},
): Promise<RunResult> {
	return await runNode({
		node: {
			type: 'customersMailCloud',
			parameters: { resource: 'block', ...parameters },
			credentials: { [CREDENTIAL_TYPE]: CREDENTIAL_NAME },
			continueOnFail: options.continueOnFail,
		},
		input: options.input ?? [{}],
		credentials: credentialStore(fake, options.credentials),
	});
}

/** Everything an error can carry, serialized, to grep for secrets. */
export { serializeForLeakCheck as serializeError } from '../harness/leaks';

/** Form bodies the fake received at a path. */
export function formsTo(
	fake: CustomersMailCloudFake,
	operation: string,
): Array<Record<string, string>> {
	return fake.server
		.requestsTo(`/transaction/v2/blocks/${operation}.json`)
		.map((request) => Object.fromEntries(new URLSearchParams(request.body)));
}

/** Fast retries for tests: no waits unless a Retry-After says so. */
export const FAST_RETRY = { retryAttempts: 3, maxRetryWait: 0 };

/** One poll of the trigger. Minimum Poll Interval is 0 unless a test sets it, so that every poll really polls. */
export function pollTrigger(
	fake: CustomersMailCloudFake,
	parameters: IDataObject,
	staticData: IDataObject,
	mode: 'trigger' | 'manual' = 'trigger',
	credentials: IDataObject = {},
) {
	const options = {
		minPollInterval: 0,
		...((parameters.options as IDataObject | undefined) ?? {}),
	};
	return runPoll({
		node: {
			type: 'customersMailCloudTrigger',
			parameters: { ...parameters, options },
			credentials: { [CREDENTIAL_TYPE]: CREDENTIAL_NAME },
		},
		credentials: credentialStore(fake, credentials),
		staticData,
		mode,
	});
}
