/** The one Naimar SMS call the node makes: delivery reports for a batch of message ids. */
import type { IDataObject } from 'n8n-workflow';

import type { ClientScope, ProviderApi } from '../../shared/transport/client';
import { apiClient } from '../../shared/transport/client';
import type { RequestContext } from '../../shared/transport/request';
import { credentialsOnce } from '../../shared/transport/request';
import { deliveryUrl } from './login';
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

export const naimarApi: ProviderApi = {
	profile: naimarProfile,
	baseUrl: async (ctx) =>
		deliveryUrl((await credentialsOnce(ctx, naimarProfile.credentialType)).baseUrl),
};

const DELIVERY_LIST = {
	holds: (body: unknown) => Array.isArray((body as { delivery?: unknown } | null)?.delivery),
	message: 'Naimar SMS answered without a "delivery" list',
	description: () =>
		'The answer was JSON but not a delivery report. Check the Base URL in the credential.',
};

/**
 * The delivery report calls for a batch; `scope` names the first input item the batch serves,
 * for the error. The gateway only reads, so the request is safe to retry.
 */
export function deliveryReportsApi(ctx: RequestContext, scope: ClientScope) {
	const client = apiClient(ctx, naimarApi, scope);
	return {
		/** Asks for the reports of `ids` in one request. */
		async fetch(ids: readonly string[]): Promise<DeliveryAnswer[]> {
			const response = await client.send({
				method: 'POST',
				path: '',
				body: { deliveries: ids.map((id) => ({ id })) },
				idempotent: true,
				expect: DELIVERY_LIST,
			});
			return readDeliveries(response.body) ?? [];
		},
	};
}
