import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { sleep, updateDisplayOptions } from 'n8n-workflow';

import { errorItem } from '../../../shared/execution/items';
import { invalidInput } from '../../../shared/transport/errors';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { WAITING, deliveryReportItem } from '../../helpers/deliveryStatus';
import { readMessageIds } from '../../helpers/messageIds';
import type { BatchPlan, ReportBook } from '../../helpers/reportBatches';
import { askInBatches } from '../../helpers/reportBatches';
import { deliveryUrl, loginProblem } from '../../transport/login';
import { naimarProfile } from '../../transport/profile';

export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 1000;
/** Seconds; the lowest the UI offers. 0 would ask the gateway non-stop. */
export const MIN_POLL_INTERVAL = 0.1;

const properties: INodeProperties[] = [
	{
		displayName: 'Message IDs',
		name: 'messageIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 12345678901234, abcdefghijklab',
		description:
			'The ID of each SMS to check (at most 14 characters each): one ID, several separated by commas, spaces or new lines, or an array from an expression. IDs from all input items are checked together in a few requests.',
	},
	optionsCollection({
		withConcurrency: true,
		own: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				default: DEFAULT_BATCH_SIZE,
				description: `How many IDs to ask for in one request (1–${MAX_BATCH_SIZE})`,
			},
			{
				displayName: 'Max Wait',
				name: 'maxWait',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 300,
				description:
					'With "Wait for Final Status": the longest time to keep asking, in seconds. The IDs are asked for a last time then; those still waiting are output with a note.',
			},
			{
				displayName: 'Poll Interval',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: MIN_POLL_INTERVAL, numberPrecision: 1 },
				default: 30,
				description: 'With "Wait for Final Status": how many seconds to wait before asking again',
			},
			{
				displayName: 'Wait for Final Status',
				name: 'waitForFinal',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask again for the IDs still "waiting", every Poll Interval, until all are final or Max Wait has passed',
			},
		],
	}),
];

export const description = updateDisplayOptions({ show: { resource: ['deliveryReport'], operation: ['get'] } }, properties);

interface ItemIds {
	itemIndex: number;
	ids: string[];
}

function readOptions(ctx: IExecuteFunctions) {
	const { options, settings, concurrency } = readOperationOptions(ctx, 0);
	const batchSize = Math.floor(Number(options.batchSize ?? DEFAULT_BATCH_SIZE));
	if (!Number.isFinite(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
		throw invalidInput(
			ctx.getNode(),
			`"Batch Size" must be between 1 and ${MAX_BATCH_SIZE}`,
			`Set "Batch Size" in the options to a whole number from 1 to ${MAX_BATCH_SIZE} (default ${DEFAULT_BATCH_SIZE}).`,
		);
	}
	const waitForFinal = options.waitForFinal === true;
	const pollInterval = Number(options.pollInterval ?? 30);
	const maxWait = Number(options.maxWait ?? 300);
	// Checked only when used. An interval of 0 would ask the gateway non-stop; NaN would never stop.
	if (waitForFinal && !(Number.isFinite(pollInterval) && pollInterval >= MIN_POLL_INTERVAL)) {
		throw invalidInput(
			ctx.getNode(),
			`"Poll Interval" must be a number of seconds of at least ${MIN_POLL_INTERVAL}`,
			'Set "Poll Interval" in the options to the seconds to wait between two rounds (default 30).',
		);
	}
	if (waitForFinal && !(Number.isFinite(maxWait) && maxWait >= 0)) {
		throw invalidInput(
			ctx.getNode(),
			'"Max Wait" must be a number of seconds, 0 or more',
			'Set "Max Wait" in the options to the longest time to keep asking, in seconds (default 300).',
		);
	}
	return {
		batchSize,
		concurrency,
		settings,
		waitForFinal,
		pollIntervalMs: pollInterval * 1000,
		maxWaitMs: maxWait * 1000,
	};
}

/**
 * Re-asks the ids still waiting, every Poll Interval, until none is or Max Wait has passed. The
 * last round is at Max Wait itself, so an id reported as still waiting was asked for then.
 */
async function waitForFinalStatuses(
	ctx: IExecuteFunctions,
	plan: BatchPlan,
	book: ReportBook,
	pollIntervalMs: number,
	maxWaitMs: number,
): Promise<boolean> {
	const deadline = Date.now() + maxWaitMs;
	for (;;) {
		const waiting = [...book.answers.values()]
			.filter((answer) => answer.status === WAITING && !book.failures.has(answer.id))
			.map((answer) => answer.id);
		if (!waiting.length) return false;
		const remainingMs = deadline - Date.now();
		if (remainingMs <= 0) return true;
		await sleep(Math.min(pollIntervalMs, remainingMs));
		await askInBatches(ctx, plan, waiting, book);
	}
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const { batchSize, concurrency, settings, waitForFinal, pollIntervalMs, maxWaitMs } = readOptions(this);
	const credentials = await this.getCredentials(naimarProfile.credentialType);
	const problem = loginProblem(credentials);
	if (problem) throw invalidInput(this.getNode(), problem, 'Open the Naimar SMS credential and correct the field.');

	// Read and check every item's ids before any request, so bad input costs nothing.
	const invalid = new Map<number, INodeExecutionData>();
	const requests: ItemIds[] = [];
	const firstItemOf = new Map<string, number>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let raw: unknown;
		if (continueOnFail) {
			// An expression that fails for one item (e.g. it names a missing node) fails that item alone.
			try {
				raw = this.getNodeParameter('messageIds', itemIndex, '');
			} catch (error) {
				invalid.set(itemIndex, errorItem(this, error, itemIndex));
				continue;
			}
		} else {
			raw = this.getNodeParameter('messageIds', itemIndex, '');
		}
		const read = readMessageIds(raw);
		if ('problem' in read) {
			const error = invalidInput(this.getNode(), read.problem, read.hint, itemIndex);
			if (!continueOnFail) throw error;
			invalid.set(itemIndex, errorItem(this, error, itemIndex));
			continue;
		}
		requests.push({ itemIndex, ids: read.ids });
		for (const id of read.ids) if (!firstItemOf.has(id)) firstItemOf.set(id, itemIndex);
	}

	const plan: BatchPlan = { url: deliveryUrl(credentials.baseUrl), batchSize, concurrency, settings, firstItemOf };
	const book: ReportBook = { answers: new Map(), failures: new Map() };
	await askInBatches(this, plan, [...firstItemOf.keys()], book);
	// Without Continue On Fail a failed batch ends the run: no point waiting for the others.
	if (!continueOnFail) throwFirstFailure(requests, book);
	const timedOut = waitForFinal ? await waitForFinalStatuses(this, plan, book, pollIntervalMs, maxWaitMs) : false;
	if (!continueOnFail) throwFirstFailure(requests, book);
	const stillWaitingNote = timedOut
		? `Still waiting after the Max Wait of ${maxWaitMs / 1000} s; check again later`
		: undefined;

	const outputs = new Map<number, INodeExecutionData[]>();
	for (const [itemIndex, item] of invalid) outputs.set(itemIndex, [item]);
	for (const { itemIndex, ids } of requests) {
		const failedId = ids.find((id) => book.failures.has(id));
		if (failedId !== undefined) {
			outputs.set(itemIndex, [errorItem(this, book.failures.get(failedId), itemIndex)]);
			continue;
		}
		outputs.set(
			itemIndex,
			ids.map((id) => {
				const answer = book.answers.get(id);
				const note = answer?.status === WAITING ? stillWaitingNote : undefined;
				return { json: deliveryReportItem(id, answer, note), pairedItem: { item: itemIndex } };
			}),
		);
	}
	return [...outputs.keys()].sort((a, b) => a - b).flatMap((index) => outputs.get(index) ?? []);
}

/** Throws the error of the first input item (in input order) whose ids were in a failed batch. */
function throwFirstFailure(requests: readonly ItemIds[], book: ReportBook): void {
	if (!book.failures.size) return;
	for (const { ids } of requests) {
		const failedId = ids.find((id) => book.failures.has(id));
		if (failedId !== undefined) throw book.failures.get(failedId);
	}
}
