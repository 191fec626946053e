/**
 * "Send": reserves deliveries. Input items become recipients of one delivery, or one delivery
 * each; everything is checked against the documented limits before the first request, and the
 * deliveries go out in as few requests as the limits allow (≤ 100 deliveries, ≤ 6 MB each).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { errorItem } from '../../../shared/items';
import { mapWithConcurrency } from '../../../shared/limiter';
import { itemPoolConcurrency, readOperationOptions } from '../../../shared/options';
import { invalidInput } from '../../../shared/errors';
import { reserveDeliveries, normalizeDelivery } from '../../transport/deliveries';
import { LIMITS, deliveryBytes, packRequests, requestBytes, splitMailingList } from '../../helpers/reservation';
import { reserveFields } from './reserve.fields';
import { readContents, readRecipient, readSettings, type ReadContext } from './reserve.read';

export const description: INodeProperties[] = reserveFields;

interface PlannedDelivery {
	/** Input items this delivery covers, in input order. */
	itemIndexes: number[];
	delivery: IDataObject;
	bytes: number;
}

interface Outcome {
	firstItem: number;
	items: INodeExecutionData[];
}

function tooBig(ctx: IExecuteFunctions, bytes: number, itemIndex: number) {
	return invalidInput(
		ctx.getNode(),
		`The delivery is ${(bytes / 1_000_000).toFixed(1)} MB; a request may carry at most 6 MB`,
		'Attach smaller files (see "Attachments") or shorten the body.',
		itemIndex,
	);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const outcomes: Outcome[] = [];
	const fail = (itemIndex: number, error: unknown) => {
		if (!continueOnFail) throw error;
		outcomes.push({ firstItem: itemIndex, items: [errorItem(error, itemIndex)] });
	};
	const read: ReadContext = { ctx: this, nowMs: Date.now() };
	const mode = this.getNodeParameter('deliveryMode', 0, 'oneForAll') as string;
	const planned: PlannedDelivery[] = [];

	if (mode === 'perItem') {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const delivery: IDataObject = {
					'mailing-list': [readRecipient(read, itemIndex)],
					contents: await readContents(read, itemIndex),
					settings: readSettings(read, itemIndex),
				};
				const bytes = deliveryBytes(delivery);
				if (requestBytes([bytes]) > LIMITS.requestBytes) throw tooBig(this, bytes, itemIndex);
				planned.push({ itemIndexes: [itemIndex], delivery, bytes });
			} catch (error) {
				fail(itemIndex, error);
			}
		}
	} else if (items.length) {
		planned.push(...(await planOneForAll(read, items.length, fail)));
	}

	rejectRepeatedRequestIds(this, planned, fail);
	const valid = planned.filter((entry) => entry.itemIndexes.length);

	const requests = packRequests(valid);
	let stopped = false;
	const answers = await mapWithConcurrency(requests, itemPoolConcurrency(this, items.length), async (request) => {
		// Without Continue On Fail, nothing more is reserved once a request has failed.
		if (stopped) return undefined;
		const firstItem = request[0].itemIndexes[0];
		try {
			const { settings } = readOperationOptions(this, firstItem);
			const answer = await reserveDeliveries(this, request.map((entry) => entry.delivery), settings, firstItem);
			return { answer } as const;
		} catch (error) {
			if (!continueOnFail) stopped = true;
			return { error } as const;
		}
	});

	if (!continueOnFail) {
		const failed = answers.find((result) => result !== undefined && 'error' in result);
		if (failed && 'error' in failed) throw reportReservedAnyway(failed.error, requests, answers);
	}

	requests.forEach((request, index) => {
		const result = answers[index];
		if (!result) return;
		if ('error' in result) {
			for (const entry of request) {
				for (const itemIndex of entry.itemIndexes) {
					outcomes.push({ firstItem: itemIndex, items: [errorItem(result.error, itemIndex)] });
				}
			}
			return;
		}
		outcomes.push(...outputsFor(request, result.answer));
	});

	outcomes.sort((a, b) => a.firstItem - b.firstItem);
	return outcomes.flatMap((outcome) => outcome.items);
}

/**
 * Requests run side by side: when one fails without Continue On Fail, others may already have
 * been reserved. Re-running the whole input would then mail those recipients twice, so the error
 * says which items and deliveries went through.
 */
function reportReservedAnyway(
	error: unknown,
	requests: PlannedDelivery[][],
	answers: Array<{ answer: IDataObject } | { error: unknown } | undefined>,
): unknown {
	const reserved = requests.flatMap((request, index) => {
		const result = answers[index];
		return result && 'answer' in result ? outputsFor(request, result.answer) : [];
	});
	if (!reserved.length || !(error instanceof Error)) return error;
	const items = reserved.flatMap((outcome) =>
		outcome.items.flatMap((item) => (item.pairedItem as Array<{ item: number }>).map((paired) => paired.item)),
	);
	const ids = reserved
		.flatMap((outcome) => outcome.items.map((item) => item.json.delivery_id))
		.filter((id) => id !== undefined && id !== null)
		.map(String);
	const shown = ids.slice(0, 20).join(', ') + (ids.length > 20 ? ` and ${ids.length - 20} more` : '');
	const note =
		`${reserved.length === 1 ? '1 delivery of this execution was' : `${reserved.length} deliveries of this execution were`} reserved anyway (input items ${itemRanges(items)}` +
		`${ids.length ? `; delivery_id ${shown}` : ''}). Do not re-run those items, or their recipients get the mail twice; cancel them or send only the others.`;
	const withDescription = error as Error & { description?: string | null };
	withDescription.description = withDescription.description ? `${withDescription.description} ${note}` : note;
	return error;
}

/** 0, 1, 2, 5, 7, 8 → "0–2, 5, 7–8" (item numbers as n8n counts them, from 0). */
function itemRanges(indexes: number[]): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		parts.push(end > start ? `${sorted[start]}–${sorted[end]}` : String(sorted[start]));
		start = end + 1;
	}
	return parts.join(', ');
}

/** One delivery for all items; split into several only when its mailing list exceeds 6 MB. */
async function planOneForAll(
	read: ReadContext,
	itemCount: number,
	fail: (itemIndex: number, error: unknown) => void,
): Promise<PlannedDelivery[]> {
	const { ctx } = read;
	let contents: IDataObject;
	let settings: IDataObject;
	try {
		contents = await readContents(read, 0);
		settings = readSettings(read, 0);
	} catch (error) {
		// The shared contents are broken: every item fails with the same reason.
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) fail(itemIndex, error);
		return [];
	}
	const recipients: Array<{ itemIndex: number; entry: IDataObject; bytes: number }> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const entry = readRecipient(read, itemIndex);
			recipients.push({ itemIndex, entry, bytes: deliveryBytes(entry) });
		} catch (error) {
			fail(itemIndex, error);
		}
	}
	if (!recipients.length) return [];
	const baseBytes = deliveryBytes({ 'mailing-list': [], contents, settings });
	const ranges = splitMailingList(
		baseBytes,
		recipients.map((recipient) => recipient.bytes),
	);
	if (requestBytes([baseBytes]) > LIMITS.requestBytes) {
		const error = tooBig(ctx, baseBytes, 0);
		for (const recipient of recipients) fail(recipient.itemIndex, error);
		return [];
	}
	if (ranges.length > 1 && settings.request_id !== undefined) {
		const error = invalidInput(
			ctx.getNode(),
			`The mailing list is too big for one request (6 MB), and a delivery split in ${ranges.length} cannot share the "Request ID"`,
			'Remove "Request ID" to let the node split the mailing list into several deliveries, or send fewer items per execution.',
			0,
		);
		for (const recipient of recipients) fail(recipient.itemIndex, error);
		return [];
	}
	return ranges.map(([start, end]) => {
		const part = recipients.slice(start, end);
		const delivery: IDataObject = { 'mailing-list': part.map((recipient) => recipient.entry), contents, settings };
		return { itemIndexes: part.map((recipient) => recipient.itemIndex), delivery, bytes: deliveryBytes(delivery) };
	});
}

/** A request ID can be used once; a second delivery with the same one is refused before sending. */
function rejectRepeatedRequestIds(
	ctx: IExecuteFunctions,
	planned: PlannedDelivery[],
	fail: (itemIndex: number, error: unknown) => void,
): void {
	const seen = new Set<string>();
	for (const entry of planned) {
		const requestId = (entry.delivery.settings as IDataObject).request_id;
		if (typeof requestId !== 'string') continue;
		if (!seen.has(requestId)) {
			seen.add(requestId);
			continue;
		}
		const error = invalidInput(
			ctx.getNode(),
			`The "Request ID" "${requestId}" is used by more than one delivery`,
			'A request ID can be used only once. Make it unique per item, e.g. with an expression, or leave it empty.',
			entry.itemIndexes[0],
		);
		for (const itemIndex of entry.itemIndexes) fail(itemIndex, error);
		entry.itemIndexes = [];
	}
}

/** The provider's answer, one output item per delivery, paired to the items it covers. */
function outputsFor(request: PlannedDelivery[], answer: IDataObject): Outcome[] {
	const { items: issued, ...summary } = answer;
	const entries = Array.isArray(issued) ? (issued as IDataObject[]).map(normalizeDelivery) : [];
	if (entries.length !== request.length) {
		// An answer we cannot match to deliveries is passed through whole, paired to every item.
		const itemIndexes = request.flatMap((entry) => entry.itemIndexes);
		return [
			{
				firstItem: itemIndexes[0],
				items: [{ json: normalizeDelivery(answer), pairedItem: itemIndexes.map((item) => ({ item })) }],
			},
		];
	}
	return request.map((entry, index) => {
		const settings = entry.delivery.settings as IDataObject;
		const json: IDataObject = {
			...entries[index],
			...summary,
			recipients: (entry.delivery['mailing-list'] as IDataObject[]).length,
			send_time: settings.send_time,
			...(settings.request_id !== undefined ? { request_id: settings.request_id } : {}),
		};
		return {
			firstItem: entry.itemIndexes[0],
			items: [{ json, pairedItem: entry.itemIndexes.map((item) => ({ item })) }],
		};
	});
}
