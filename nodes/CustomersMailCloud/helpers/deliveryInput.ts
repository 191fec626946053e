/** Reading and checking the Deliveries parameters before any request is sent. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { invalidInput } from '../../shared/transport/errors';
import type { DeliveryFilters, DeliveryStatus } from '../transport/deliveries';
import { DELIVERY_STATUSES } from '../transport/deliveries';
import { addDays } from '../../shared/dateTime';
import { readDate, readFiltersCollection, readMailTextFilters } from './filters';

/** The longest range one run reads day by day: the provider asks to poll these lists rarely. */
export const MAX_DELIVERY_DAYS = 31;

/** The days to read (date … endDate, inclusive) and the filters sent with each. */
export interface DeliveryQuery {
	days: string[];
	filters: Omit<DeliveryFilters, 'date'>;
}

export function readDeliveryQuery(ctx: IExecuteFunctions, itemIndex: number): DeliveryQuery {
	const date = readDate(ctx, ctx.getNodeParameter('date', itemIndex, ''), 'Date', itemIndex);
	if (!date) {
		throw invalidInput(
			ctx.getNode(),
			'Date is empty',
			'Pick the day to list deliveries for in "Date": the API searches one day at a time. Add "End Date" in Filters for a range.',
			itemIndex,
		);
	}
	const raw = readFiltersCollection(ctx, itemIndex);
	const endDate = readDate(ctx, raw.endDate, 'End Date', itemIndex) ?? date;
	if (endDate < date) {
		throw invalidInput(
			ctx.getNode(),
			`End Date (${endDate}) is before Date (${date})`,
			'End Date must be the same day as Date or later. Swap or correct them.',
			itemIndex,
		);
	}
	const days = [date];
	while (days[days.length - 1] < endDate) {
		if (days.length >= MAX_DELIVERY_DAYS) {
			throw invalidInput(
				ctx.getNode(),
				`Date to End Date spans more than ${MAX_DELIVERY_DAYS} days (${date} to ${endDate})`,
				`Choose at most ${MAX_DELIVERY_DAYS} days: each day is read separately, and the provider asks to read these lists rarely.`,
				itemIndex,
			);
		}
		days.push(addDays(days[days.length - 1], 1));
	}
	const filters: DeliveryQuery['filters'] = {};
	if (raw.hour !== undefined && raw.hour !== null && raw.hour !== '') {
		const hour = Number(raw.hour);
		if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
			throw invalidInput(
				ctx.getNode(),
				`Hour must be a whole number from 0 to 23 (got ${String(raw.hour)})`,
				'Set "Hour" to the hour of the day to list (0–23), or remove the filter to list the whole day.',
				itemIndex,
			);
		}
		filters.hour = hour;
	}
	if (raw.status !== undefined && raw.status !== '') {
		const status = String(raw.status);
		if (!(DELIVERY_STATUSES as readonly string[]).includes(status)) {
			throw invalidInput(
				ctx.getNode(),
				`Status "${status}" is not a delivery status`,
				`Choose one of ${DELIVERY_STATUSES.join(', ')}.`,
				itemIndex,
			);
		}
		filters.status = status as DeliveryStatus;
	}
	return { days, filters: { ...filters, ...readMailTextFilters(ctx, raw, itemIndex) } };
}
