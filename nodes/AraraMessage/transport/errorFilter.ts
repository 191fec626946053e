/** The error filter lookup: what the service's suppression list holds for given addresses. */
import type { IDataObject } from 'n8n-workflow';

import { handleStatuses } from '../../shared/transport/errors';
import type { ApiClient, ClientScope } from '../../shared/transport/client';
import { apiClient } from '../../shared/transport/client';
import type { RequestContext } from '../../shared/transport/request';
import { araraApi } from './client';

/** The documented most per request; more answers 413. */
export const MAX_LOOKUP_BATCH = 10_000;

/** The registered entries of one answer, keyed by lower-cased address (the service's match on case is not documented). */
function entriesOf(body: unknown): Map<string, IDataObject> {
	const items = (body as { items?: unknown } | null | undefined)?.items;
	const entries = new Map<string, IDataObject>();
	if (!Array.isArray(items)) return entries;
	for (const entry of items as unknown[]) {
		if (!entry || typeof entry !== 'object') continue;
		const address = (entry as IDataObject).address;
		if (typeof address === 'string' && address)
			entries.set(address.toLowerCase(), entry as IDataObject);
	}
	return entries;
}

/**
 * Looks up one batch of addresses. A 413 (too many for the service) splits the batch in halves
 * and asks again; a single address that still gets 413 fails.
 */
export async function lookUpErrorFilter(
	client: ApiClient,
	addresses: string[],
): Promise<Map<string, IDataObject>> {
	const ask = async () => {
		const { body } = await client.send({
			method: 'POST',
			path: '/errorfilter',
			body: { items: addresses.map((address) => ({ address })) },
			// A lookup changes nothing: safe to repeat.
			idempotent: true,
		});
		return entriesOf(body);
	};
	if (addresses.length < 2) return await ask();
	return await handleStatuses(ask, {
		413: async () => {
			const half = Math.ceil(addresses.length / 2);
			const first = await lookUpErrorFilter(client, addresses.slice(0, half));
			const second = await lookUpErrorFilter(client, addresses.slice(half));
			for (const [key, entry] of second) first.set(key, entry);
			return first;
		},
	});
}

/** The error filter calls of one item (or of a batch across items). */
export function errorFilterApi(ctx: RequestContext, scope: ClientScope) {
	const client = apiClient(ctx, araraApi, scope);
	return { lookUp: async (addresses: string[]) => await lookUpErrorFilter(client, addresses) };
}
