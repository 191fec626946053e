/** The Arara Message delivery endpoints: status lookups, reservation and cancellation. */
import type { IDataObject } from 'n8n-workflow';

import type { ClientRequest, ClientScope, StatusRule } from '../../shared/transport/client';
import { apiClient } from '../../shared/transport/client';
import type { RequestContext } from '../../shared/transport/request';
import { toJapanMinute } from '../helpers/japanTime';
import { araraApi } from './client';

/** Per HTTP status: the operation's words for the error, or "nothing there". */
export type StatusRules = Partial<Record<number, StatusRule>>;

/** The API returns at most this many deliveries per status query. */
export const STATUS_QUERY_CAP = 4000;

export interface StatusAnswer {
	items: IDataObject[];
	count: number;
	total: number;
}

/** Every output uses `delivery_id`; the provider's own sample spells it `deliver_id`. */
export function normalizeDelivery(raw: IDataObject): IDataObject {
	if (raw.delivery_id !== undefined || raw.deliver_id === undefined) return raw;
	const { deliver_id: deliverId, ...rest } = raw;
	return { delivery_id: deliverId, ...rest };
}

function readStatusAnswer(body: unknown): StatusAnswer {
	const answer = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const items = (Array.isArray(answer.items) ? (answer.items as IDataObject[]) : []).map(
		normalizeDelivery,
	);
	const count = typeof answer.count === 'number' ? answer.count : items.length;
	const total = typeof answer.total === 'number' ? answer.total : count;
	return { items, count, total };
}

export type DeliveriesApi = ReturnType<typeof deliveriesApi>;

/** The delivery calls of one item (or poll); `statuses` words an error status in the operation's terms. */
export function deliveriesApi(ctx: RequestContext, scope: ClientScope) {
	const client = apiClient(ctx, araraApi, scope);
	const lookUp = async (request: ClientRequest<StatusRule>) => {
		const response = await client.send(request);
		return response && readStatusAnswer(response.body);
	};
	return {
		client,
		/** Undefined when a status the rules read as nothing came. */
		async getById(deliveryId: string, statuses?: StatusRules): Promise<StatusAnswer | undefined> {
			return await lookUp({
				method: 'GET',
				path: `/send/${encodeURIComponent(deliveryId)}`,
				idempotent: true,
				statuses,
			});
		},
		async getByRequestId(requestId: string, statuses?: StatusRules): Promise<StatusAnswer> {
			const answer = await lookUp({
				method: 'GET',
				path: '/send',
				qs: { request_id: requestId },
				idempotent: true,
				statuses,
			});
			return answer ?? readStatusAnswer(undefined);
		},
		/**
		 * Deliveries reserved in [fromMs, toMs), both on whole minutes. n8n's query serializer
		 * percent-encodes the `+` of `+09:00` as %2B, as the API requires.
		 */
		async getInPeriod(fromMs: number, toMs: number): Promise<StatusAnswer> {
			const qs = { timemin: toJapanMinute(fromMs), timemax: toJapanMinute(toMs) };
			return readStatusAnswer(
				(await client.send({ method: 'GET', path: '/send', qs, idempotent: true })).body,
			);
		},
		/**
		 * Reserves up to 100 deliveries, each given as its JSON (Send has serialized each one to
		 * check its size: the same text is sent, not serialized again). Not idempotent: the shared
		 * transport re-sends it only after a 429.
		 */
		async reserve(deliveriesJson: readonly string[]): Promise<IDataObject> {
			const { body } = await client.send<IDataObject>({
				method: 'POST',
				path: '/send',
				body: Buffer.from(`{"delivery":[${deliveriesJson.join(',')}]}`, 'utf8'),
				idempotent: false,
			});
			return body && typeof body === 'object' ? body : {};
		},
		/** Cancelling twice answers 409, so a cancel is re-sent only after a 429. Undefined when a status the rules read as nothing came. */
		async cancel(deliveryId: string, statuses?: StatusRules): Promise<IDataObject | undefined> {
			const response = await client.send<IDataObject>({
				method: 'DELETE',
				path: `/send/${encodeURIComponent(deliveryId)}`,
				idempotent: false,
				statuses,
			});
			if (!response) return undefined;
			return response.body && typeof response.body === 'object' ? response.body : {};
		},
	};
}
