/** Shared pieces of the Naimar SMS engine tests: the fake, a credential store and a runner. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, type RunResult } from '../harness/engine';
import {
	startNaimarSmsFake,
	type NaimarSmsFake,
	type NaimarSmsFakeOptions,
} from '../fakes/naimar-sms';

export const CREDENTIAL_NAME = 'naimar';

export interface Harness {
	fake: NaimarSmsFake;
	run(
		parameters: IDataObject,
		input: Array<IDataObject | INodeExecutionData>,
		extra?: { continueOnFail?: boolean; credentials?: IDataObject },
	): Promise<RunResult>;
}

export async function startHarness(options: NaimarSmsFakeOptions = {}): Promise<Harness> {
	const fake = await startNaimarSmsFake(options);
	return {
		fake,
		run: async (parameters, input, extra = {}) =>
			await runNode({
				node: {
					type: 'naimarSms',
					parameters: { resource: 'deliveryReport', operation: 'get', ...parameters },
					credentials: { naimarSmsApi: CREDENTIAL_NAME },
					continueOnFail: extra.continueOnFail,
				},
				input,
				credentials: {
					[CREDENTIAL_NAME]: {
						type: 'naimarSmsApi',
						data: { ...fake.credentials, ...extra.credentials },
					},
				},
			}),
	};
}

/** Everything an error or an item could show a user, as one string to search for secrets. */
export { serializeForLeakCheck as serialize } from '../harness/leaks';
