/** The Arara Message delivery endpoints: status lookups, reservation and cancellation. */
import type { IDataObject } from 'n8n-workflow';

import type { RequestContext, TransportSettings } from '../../shared/transport/request';
import { toJapanMinute } from '../helpers/japanTime';
import { araraRequest } from './client';

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
	const items = (Array.isArray(answer.items) ? (answer.items as IDataObject[]) : []).map(normalizeDelivery);
	const count = typeof answer.count === 'number' ? answer.count : items.length;
	const total = typeof answer.total === 'number' ? answer.total : count;
	return { items, count, total };
}

export async function getDeliveryById(
	ctx: RequestContext,
	deliveryId: string,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<StatusAnswer> {
	const { body } = await araraRequest(
		ctx,
		{ method: 'GET', path: `/send/${encodeURIComponent(deliveryId)}`, idempotent: true },
		settings,
		itemIndex,
	);
	return readStatusAnswer(body);
}

export async function getDeliveriesByRequestId(
	ctx: RequestContext,
	requestId: string,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<StatusAnswer> {
	const { body } = await araraRequest(
		ctx,
		{ method: 'GET', path: '/send', qs: { request_id: requestId }, idempotent: true },
		settings,
		itemIndex,
	);
	return readStatusAnswer(body);
}

/**
 * Deliveries reserved in [fromMs, toMs), both on whole minutes. n8n's query serializer
 * percent-encodes the `+` of `+09:00` as %2B, as the API requires.
 */
export async function getDeliveriesInPeriod(
	ctx: RequestContext,
	fromMs: number,
	toMs: number,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<StatusAnswer> {
	const { body } = await araraRequest(
		ctx,
		{
			method: 'GET',
			path: '/send',
			qs: { timemin: toJapanMinute(fromMs), timemax: toJapanMinute(toMs) },
			idempotent: true,
		},
		settings,
		itemIndex,
	);
	return readStatusAnswer(body);
}

/** Reserves up to 100 deliveries. Not idempotent: the shared transport re-sends it only after a 429. */
export async function reserveDeliveries(
	ctx: RequestContext,
	deliveries: IDataObject[],
	settings: TransportSettings,
	itemIndex?: number,
): Promise<IDataObject> {
	const { body } = await araraRequest<IDataObject>(
		ctx,
		{ method: 'POST', path: '/send', body: { delivery: deliveries }, idempotent: false },
		settings,
		itemIndex,
	);
	return body && typeof body === 'object' ? body : {};
}

/** Cancelling twice answers 409, so a cancel is re-sent only after a 429. */
export async function cancelDelivery(
	ctx: RequestContext,
	deliveryId: string,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<IDataObject> {
	const { body } = await araraRequest<IDataObject>(
		ctx,
		{ method: 'DELETE', path: `/send/${encodeURIComponent(deliveryId)}`, idempotent: false },
		settings,
		itemIndex,
	);
	return body && typeof body === 'object' ? body : {};
}
