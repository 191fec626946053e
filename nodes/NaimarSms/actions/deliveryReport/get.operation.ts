import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { sleep, updateDisplayOptions } from 'n8n-workflow';

import { runBatched } from '../../../shared/execution/batched';
import type { UniqueBatch } from '../../../shared/execution/uniqueBatches';
import { uniqueBatches } from '../../../shared/execution/uniqueBatches';
import { invalidInput } from '../../../shared/transport/errors';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { WAITING, deliveryReportItem } from '../../helpers/deliveryStatus';
import { readMessageIds } from '../../helpers/messageIds';
import type { BatchPlan, ReportBook } from '../../helpers/reportBatches';
import { askBatch, askInBatches, recordAnswers } from '../../helpers/reportBatches';
import { loginProblem } from '../../transport/login';
import { naimarProfile } from '../../transport/profile';
import { readItemParameter } from '../../../shared/description/itemParameter';

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

export const description = updateDisplayOptions(
	{ show: { resource: ['deliveryReport'], operation: ['get'] } },
	properties,
);

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

function readItemIds(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const read = readMessageIds(readItemParameter(ctx, 'messageIds', itemIndex));
	if ('problem' in read) throw invalidInput(ctx.getNode(), read.problem, read.hint, itemIndex);
	return read.ids;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { batchSize, concurrency, settings, waitForFinal, pollIntervalMs, maxWaitMs } =
		readOptions(this);
	const credentials = await this.getCredentials(naimarProfile.credentialType);
	const problem = loginProblem(credentials);
	if (problem)
		throw invalidInput(
			this.getNode(),
			problem,
			'Open the Naimar SMS credential and correct the field.',
		);

	const plan: BatchPlan = { batchSize, concurrency, settings, firstItemOf: () => undefined };
	const book: ReportBook = { answers: new Map(), failures: new Map() };
	let stillWaitingNote: string | undefined;
	return await runBatched<string[], UniqueBatch<string>, void>(this, items, {
		read: (itemIndex) => readItemIds(this, itemIndex),
		// Each id once, in batches; a batch serves every item that asked for one of its ids.
		pack: (reads) => {
			const unique = uniqueBatches(reads, batchSize, (id) => id);
			plan.firstItemOf = unique.firstItemOf;
			return unique.batches;
		},
		send: async (batch) => {
			const answers = await askBatch(this, plan, batch.values, batch.items[0]).catch(
				(error: unknown) => {
					for (const id of batch.values) book.failures.set(id, error);
					throw error;
				},
			);
			recordAnswers(book, batch.values, answers);
		},
		concurrency,
		afterSend: async () => {
			const timedOut = waitForFinal
				? await waitForFinalStatuses(this, plan, book, pollIntervalMs, maxWaitMs)
				: false;
			if (timedOut)
				stillWaitingNote = `Still waiting after the Max Wait of ${maxWaitMs / 1000} s; check again later`;
		},
		output: (itemIndex, ids) => {
			// A later round may have failed for one of the item's ids.
			const failedId = ids.find((id) => book.failures.has(id));
			if (failedId !== undefined) throw book.failures.get(failedId);
			return ids.map((id) => {
				const answer = book.answers.get(id);
				const note = answer?.status === WAITING ? stillWaitingNote : undefined;
				return { json: deliveryReportItem(id, answer, note), pairedItem: { item: itemIndex } };
			});
		},
	});
}
