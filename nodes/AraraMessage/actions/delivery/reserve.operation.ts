/**
 * "Send": reserves deliveries. Input items become recipients of one delivery, or one delivery
 * each; everything is checked against the documented limits before the first request, and the
 * deliveries go out in as few requests as the limits allow (≤ 100 deliveries, ≤ 6 MB each).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DoneInThisExecution, noteChangedAnyway } from '../../../shared/execution/items';
import { runBatched, type ItemReads } from '../../../shared/execution/batched';
import { mapWithConcurrency } from '../../../shared/transport/limiter';
import { itemPoolConcurrency } from '../../../shared/description/options';
import { httpCodeOf, invalidInput, providerErrorsOf } from '../../../shared/transport/errors';
import type { DeliveriesApi } from '../../transport/deliveries';
import { deliveriesApi, normalizeDelivery } from '../../transport/deliveries';
import {
	LIMITS,
	deliveryBytes,
	generatedRequestId,
	packRequests,
	requestBytes,
	serializedDelivery,
	splitMailingList,
} from '../../helpers/reservation';
import { reserveProperties } from './reserve.fields';
import { readContents, readRecipient, readSettings, type ReadContext } from './reserve.read';

export const description = updateDisplayOptions(
	{ show: { resource: ['delivery'], operation: ['reserve'] } },
	reserveProperties,
);

interface PlannedDelivery {
	/** Input items this delivery covers, in input order. */
	itemIndexes: number[];
	delivery: IDataObject;
	/** The delivery's JSON, serialized once: its size is checked and the same text is sent. */
	json: string;
	bytes: number;
	/** Whether the node chose the request ID (so only this execution can have used it). */
	generatedRequestId?: boolean;
}

/** What one item reads: its own delivery, or its recipient of the one delivery for all items. */
type SendRead = PlannedDelivery | { recipient: IDataObject };

interface Outcome {
	firstItem: number;
	items: INodeExecutionData[];
}

function tooBig(
	ctx: IExecuteFunctions,
	bytes: number,
	itemIndex: number,
	fix = 'Attach smaller files (see "Attachments") or shorten the body.',
) {
	return invalidInput(
		ctx.getNode(),
		`The delivery is ${(bytes / 1_000_000).toFixed(1)} MB; a request may carry at most 6 MB`,
		fix,
		itemIndex,
	);
}

interface DeliveryRequest {
	/** Input items the request serves. */
	items: number[];
	deliveries: PlannedDelivery[];
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const read: ReadContext = { ctx: this, nowMs: Date.now() };
	const perItem = this.getNodeParameter('deliveryMode', 0, 'oneForAll') === 'perItem';
	const reserved = new DoneInThisExecution(this, 'reserve');
	const planning = planner(this);
	// One delivery for all items: its contents and settings come from the first item, read once.
	let shared: Promise<{ contents: IDataObject; settings: IDataObject }> | undefined;
	let sharedRead = false;
	const readShared = async () =>
		await (shared ??= (async () => {
			const contents = await readContents(read, 0);
			const settings = readSettings(read, 0);
			sharedRead = true;
			return { contents, settings };
		})());
	const perItemDelivery = (itemIndex: number, recipient: IDataObject, contents: IDataObject) => {
		const planned = planning.plan(
			{ 'mailing-list': [recipient], contents, settings: readSettings(read, itemIndex) },
			[itemIndex],
		);
		if (requestBytes([planned.bytes]) > LIMITS.requestBytes)
			throw tooBig(this, planned.bytes, itemIndex);
		return planned;
	};
	const recipientOf = (itemIndex: number) => ({ recipient: readRecipient(read, itemIndex) });
	// An output item stands at the first input item of the delivery it reports: indexed as requests
	// succeed, not searched for per item (a request reports up to 100 deliveries).
	const outputsAt: INodeExecutionData[][] = new Array<INodeExecutionData[]>(items.length);

	return await runBatched<SendRead, DeliveryRequest, Outcome[]>(this, items, {
		// A promise only where one is needed (attachments, the shared contents' first read): runBatched
		// awaits nothing else, so a thousand items are read without a thousand trips through the queue.
		read: (itemIndex) => {
			if (!perItem) {
				// The shared contents are broken: every item fails with the same reason.
				if (sharedRead) return recipientOf(itemIndex);
				return readShared().then(() => recipientOf(itemIndex));
			}
			const recipient = readRecipient(read, itemIndex);
			const contents = readContents(read, itemIndex);
			return contents instanceof Promise
				? contents.then((withAttachments) => perItemDelivery(itemIndex, recipient, withAttachments))
				: perItemDelivery(itemIndex, recipient, contents);
		},
		pack: async (reads, reject) => {
			const planned = perItem
				? reads.filter((read): read is PlannedDelivery => read !== undefined && 'json' in read)
				: planOneForAll(
						this,
						planning,
						reads.some(Boolean) ? await readShared() : undefined,
						reads,
						reject,
					);
			rejectRepeatedRequestIds(this, planned, reject);
			const valid = planned.filter((entry) => entry.itemIndexes.length);
			return packRequests(valid).map((request) => ({
				items: request.flatMap((entry) => entry.itemIndexes),
				deliveries: request,
			}));
		},
		send: async (request) => {
			const outcomes = await reserveOnce(
				deliveriesApi(this, request.items[0]),
				request.deliveries,
				reserved,
			);
			for (const { firstItem, items: reported } of outcomes)
				(outputsAt[firstItem] ??= []).push(...reported);
			return outcomes;
		},
		concurrency: itemPoolConcurrency(this, items.length),
		output: (itemIndex) => outputsAt[itemIndex] ?? [],
		changedAnyway: (error, sent) =>
			reportReservedAnyway(
				error,
				sent.flatMap(({ result }) => result),
			),
	});
}

/**
 * Requests run side by side: when one fails without Continue On Fail, others may already have
 * been reserved. The error says which items and deliveries went through.
 */
function reportReservedAnyway(error: unknown, reserved: Outcome[]): unknown {
	const items = reserved.flatMap((outcome) => outcome.items);
	return noteChangedAnyway(error, {
		done: 'reserved',
		noun: ['delivery', 'deliveries'],
		changes: items.length,
		items: items.flatMap((item) =>
			(item.pairedItem as Array<{ item: number }>).map((paired) => paired.item),
		),
		ids: items.map((item) => item.json.delivery_id),
		idField: 'delivery_id',
		advice:
			'Retry On Fail recognises them by their request_id and does not send them again; a new execution would, so cancel them or send only the others.',
	});
}

interface Planner {
	/** Makes a delivery ready to send: its request ID given, serialized and measured. */
	plan(delivery: IDataObject, itemIndexes: number[]): PlannedDelivery;
	/**
	 * The settings as they will be sent, with a stand-in of the generated request ID's length:
	 * a delivery is sized by them before it is known which item comes first.
	 */
	settingsAsSent(settings: IDataObject): IDataObject;
}

/**
 * Deliveries without a Request ID of the user's get one derived from the execution, the node, its
 * run and the delivery's first item: a Retry On Fail (which reruns the whole node) sends the same
 * IDs, and Arara Message refuses a used one instead of mailing twice. It is given before the
 * delivery is serialized, so the JSON that is measured is the JSON that is sent.
 */
function planner(ctx: IExecuteFunctions): Planner {
	const executionId = ctx.getExecutionId();
	const generates = (settings: IDataObject) =>
		executionId !== undefined && executionId !== '' && settings.request_id === undefined;
	let idParts: string[] | undefined;
	const idFor = (firstItem: number) => {
		if (!idParts) {
			const node = ctx.getNode();
			idParts = [executionId, node.id ?? node.name, String(ctx.getWorkflowDataProxy(0).$runIndex)];
		}
		return generatedRequestId([...idParts, String(firstItem)]);
	};
	return {
		plan(delivery, itemIndexes) {
			const settings = delivery.settings as IDataObject;
			const generated = generates(settings);
			// Split deliveries share one settings object: each gets its own copy.
			if (generated) delivery.settings = { ...settings, request_id: idFor(itemIndexes[0]) };
			const planned: PlannedDelivery = { itemIndexes, delivery, ...serializedDelivery(delivery) };
			if (generated) planned.generatedRequestId = true;
			return planned;
		},
		settingsAsSent: (settings) =>
			generates(settings) ? { ...settings, request_id: generatedRequestId([]) } : settings,
	};
}

/** The provider's word for a refused request that names the request ID (wording unconfirmed: matched loosely). */
function mentionsRequestId(error: unknown): boolean {
	if (httpCodeOf(error) !== 400) return false;
	const said = [
		error instanceof Error ? error.message : '',
		...providerErrorsOf(error).map((detail) => detail.message),
	];
	return said.some((text) => /request[ _-]?id/i.test(text));
}

/**
 * Reserves one request. When Arara Message refuses it because a request ID is already used, and
 * that ID is one this execution reserved (a rerun of the node), the delivery is looked up by its
 * request ID and output instead; the request's other deliveries are then sent once more.
 */
async function reserveOnce(
	api: DeliveriesApi,
	request: PlannedDelivery[],
	reserved: DoneInThisExecution,
): Promise<Outcome[]> {
	const requestIdOf = (entry: PlannedDelivery) =>
		(entry.delivery.settings as IDataObject).request_id as string | undefined;
	const sent = await api.reserve(request.map((entry) => entry.json)).then(
		(answer) => ({ answer }) as const,
		(error: unknown) => ({ error }) as const,
	);
	if ('answer' in sent) {
		for (const entry of request) {
			const requestId = requestIdOf(entry);
			if (requestId !== undefined) reserved.record(requestId);
		}
		return outputsFor(request, sent.answer);
	}
	const { error } = sent;
	const reservedEarlier = request.some((entry) => {
		const requestId = requestIdOf(entry);
		return requestId !== undefined && reserved.hasEarlier(requestId);
	});
	// The wording of "already used" is unconfirmed: a 400 for IDs an earlier try reserved is checked too.
	if (!mentionsRequestId(error) && !(reservedEarlier && httpCodeOf(error) === 400)) throw error;
	const ours = request.filter((entry) => {
		const requestId = requestIdOf(entry);
		return (
			requestId !== undefined &&
			(entry.generatedRequestId === true || reserved.hasEarlier(requestId))
		);
	});
	if (!ours.length) throw error;
	const { ctx, settings } = api.client;
	const found = await mapWithConcurrency(ours, 4, async (entry) => {
		const lookUp = deliveriesApi(ctx, { settings, itemIndex: entry.itemIndexes[0] });
		const answer = await lookUp.getByRequestId(requestIdOf(entry)!);
		return answer.items.length ? { entry, delivery: answer.items[0] } : undefined;
	});
	const recovered = found.filter((match) => match !== undefined);
	if (!recovered.length) throw error;
	const rest = request.filter((entry) => !recovered.some((match) => match.entry === entry));
	const outcomes = recovered.map(({ entry, delivery }) => alreadyReservedOutcome(entry, delivery));
	if (rest.length) {
		const restApi = deliveriesApi(ctx, { settings, itemIndex: rest[0].itemIndexes[0] });
		outcomes.push(...(await reserveOnce(restApi, rest, reserved)));
	}
	return outcomes;
}

/** A delivery an earlier try of this execution reserved: the provider's record of it, marked as such. */
function alreadyReservedOutcome(entry: PlannedDelivery, found: IDataObject): Outcome {
	const settings = entry.delivery.settings as IDataObject;
	const foundSettings = (found.settings ?? {}) as IDataObject;
	const json: IDataObject = {
		delivery_id: found.delivery_id,
		status: found.status,
		recipients: (entry.delivery['mailing-list'] as IDataObject[]).length,
		send_time: foundSettings.send_time ?? settings.send_time,
		request_id: settings.request_id,
		alreadyReserved: true,
	};
	return {
		firstItem: entry.itemIndexes[0],
		items: [{ json, pairedItem: entry.itemIndexes.map((item) => ({ item })) }],
	};
}

/**
 * One delivery for all items; split into several only when its mailing list exceeds 6 MB. A
 * recipient too big for a request on its own fails alone, before the split: the others stay together.
 */
function planOneForAll(
	ctx: IExecuteFunctions,
	planning: Planner,
	shared: { contents: IDataObject; settings: IDataObject } | undefined,
	reads: ItemReads<SendRead>,
	fail: (itemIndex: number, error: unknown) => void,
): PlannedDelivery[] {
	if (!shared || !reads.some(Boolean)) return [];
	const { contents, settings } = shared;
	// Measured with the request ID as it will be sent, so a part sized here is the part sent.
	const baseBytes = deliveryBytes({
		'mailing-list': [],
		contents,
		settings: planning.settingsAsSent(settings),
	});
	if (requestBytes([baseBytes]) > LIMITS.requestBytes) {
		const error = tooBig(ctx, baseBytes, 0);
		reads.forEach((read, itemIndex) => {
			if (read) fail(itemIndex, error);
		});
		return [];
	}
	const recipients: Array<{ itemIndex: number; entry: IDataObject; bytes: number }> = [];
	reads.forEach((read, itemIndex) => {
		if (!read || !('recipient' in read)) return;
		const bytes = deliveryBytes(read.recipient);
		if (requestBytes([baseBytes + bytes]) <= LIMITS.requestBytes) {
			recipients.push({ itemIndex, entry: read.recipient, bytes });
			return;
		}
		const fix = 'Shorten this recipient\'s "Substitutions" (or its other fields).';
		fail(itemIndex, tooBig(ctx, baseBytes + bytes, itemIndex, fix));
	});
	if (!recipients.length) return [];
	const ranges = splitMailingList(
		baseBytes,
		recipients.map((recipient) => recipient.bytes),
	);
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
		return planning.plan(
			{ 'mailing-list': part.map((recipient) => recipient.entry), contents, settings },
			part.map((recipient) => recipient.itemIndex),
		);
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
				items: [
					{ json: normalizeDelivery(answer), pairedItem: itemIndexes.map((item) => ({ item })) },
				],
			},
		];
	}
	return request.map((entry, index) => {
		const settings = entry.delivery.settings as IDataObject;
		// Assigned, not spread: a literal of several spreads took V8's slow path, per delivery.
		const json: IDataObject = Object.assign({}, entries[index], summary);
		json.recipients = (entry.delivery['mailing-list'] as IDataObject[]).length;
		json.send_time = settings.send_time;
		if (settings.request_id !== undefined) json.request_id = settings.request_id;
		return {
			firstItem: entry.itemIndexes[0],
			items: [{ json, pairedItem: entry.itemIndexes.map((item) => ({ item })) }],
		};
	});
}
