/** The one Naimar SMS call the node makes: delivery reports for a batch of message ids. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { toNodeApiError } from '../../shared/transport/errors';
import type { TransportSettings } from '../../shared/transport/request';
import { credentialSecrets, sendRequest } from '../../shared/transport/request';
import { naimarProfile } from './profile';

/** One entry of the answer's `delivery` array. */
export interface DeliveryAnswer {
	id: string;
	received: string | null;
	status: string;
}

function readDeliveries(body: unknown): DeliveryAnswer[] | undefined {
	const list = (body as { delivery?: unknown } | null)?.delivery;
	if (!Array.isArray(list)) return undefined;
	const answers: DeliveryAnswer[] = [];
	for (const entry of list) {
		if (entry === null || typeof entry !== 'object') continue;
		const { id, received, status } = entry as IDataObject;
		if (id === undefined || id === null) continue;
		answers.push({
			id: String(id),
			received: typeof received === 'string' ? received : null,
			status: typeof status === 'string' ? status : String(status ?? ''),
		});
	}
	return answers;
}

/**
 * Asks for the reports of `ids` in one request. The gateway only reads, so the request is safe
 * to retry. `itemIndex` names the first input item the batch serves, for the error.
 */
export async function fetchDeliveryReports(
	ctx: IExecuteFunctions,
	url: string,
	ids: readonly string[],
	settings: TransportSettings,
	itemIndex: number,
): Promise<DeliveryAnswer[]> {
	const response = await sendRequest(
		ctx,
		naimarProfile,
		{ method: 'POST', url, body: { deliveries: ids.map((id) => ({ id })) }, idempotent: true },
		settings,
		itemIndex,
	);
	const answers = readDeliveries(response.body);
	if (!answers) {
		throw toNodeApiError(
			ctx.getNode(),
			{
				httpCode: response.status,
				message: 'Naimar SMS answered without a "delivery" list',
				description: 'The answer was JSON but not a delivery report. Check the Base URL in the credential.',
			},
			await credentialSecrets(ctx, naimarProfile),
			itemIndex,
		);
	}
	return answers;
}
