/** Node options every operation offers for its requests, and reading an `options` collection into transport settings. */
import type { IDataObject, IExecuteFunctions, INodeProperties, IPollFunctions } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY } from '../transport/retry';
import type { TransportSettings } from '../transport/request';
import { readItemParameter } from './itemParameter';

/** Pages and batches: each request carries many records, so a few in flight keep up. */
export const DEFAULT_CONCURRENCY = 4;
/**
 * One request per item (get, cancel, unblock, send): each waits a whole round trip for one item,
 * so more in flight hide the latency. No provider publishes a rate limit; a 429 is retried.
 */
export const DEFAULT_ITEM_CONCURRENCY = 64;
export const MAX_CONCURRENCY = 128;

export const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'How many seconds to wait for each answer before trying again or failing',
	},
	{
		displayName: 'Retry Attempts',
		name: 'retryAttempts',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3,
		description:
			'How many times to try again after a rate limit (429), a server error (5xx) or a dropped connection. Requests that are not safe to repeat are retried only after a 429.',
	},
	{
		displayName: 'Max Retry Wait',
		name: 'maxRetryWait',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description:
			"The longest wait between two attempts, in seconds. The provider's Retry-After is honoured up to this limit.",
	},
];

export const concurrencyOptionField: INodeProperties = {
	displayName: 'Parallel Requests',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: DEFAULT_CONCURRENCY,
	description: `How many requests may be in flight at once (1–${MAX_CONCURRENCY}). Unset, it is ${DEFAULT_ITEM_CONCURRENCY} where each input item is its own request and ${DEFAULT_CONCURRENCY} for pages and batches. Lower it if the service answers "too many requests" (429) often; every 429 is waited out and retried.`,
};

export interface OptionsCollectionSpec {
	/** The operation's own options, listed first. */
	own?: INodeProperties[];
	/** Whether to offer "Parallel Requests": only where requests can run side by side. */
	withConcurrency: boolean;
}

/** The "Options" collection of an operation or trigger: its own options, then the shared request options. */
export function optionsCollection({
	own = [],
	withConcurrency,
}: OptionsCollectionSpec): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...own, ...(withConcurrency ? [concurrencyOptionField] : []), ...requestOptionFields],
	};
}

type OptionReader = (name: string, fallback: number) => unknown;

function readNumber(read: OptionReader, name: string, fallback: number): number {
	const value = Number(read(name, fallback));
	return Number.isFinite(value) ? value : fallback;
}

/** Reads the request options of one operation, given a reader for its `options` collection. */
function readTransportSettings(read: OptionReader): TransportSettings {
	return {
		timeoutMs: Math.max(1, readNumber(read, 'timeout', 30)) * 1000,
		retry: {
			...DEFAULT_RETRY_POLICY,
			maxAttempts:
				Math.max(
					0,
					Math.floor(readNumber(read, 'retryAttempts', DEFAULT_RETRY_POLICY.maxAttempts - 1)),
				) + 1,
			maxWaitMs:
				Math.max(0, readNumber(read, 'maxRetryWait', DEFAULT_RETRY_POLICY.maxWaitMs / 1000)) * 1000,
		},
	};
}

function readConcurrency(read: OptionReader): number {
	return Math.min(
		MAX_CONCURRENCY,
		Math.max(1, Math.floor(readNumber(read, 'concurrency', DEFAULT_CONCURRENCY))),
	);
}

/** An `options` collection as read: the raw values (for an operation's own options) and the shared ones. */
export interface OperationOptions {
	options: IDataObject;
	settings: TransportSettings;
	concurrency: number;
}

function operationOptionsFrom(options: IDataObject): OperationOptions {
	const read: OptionReader = (name, fallback) => options[name] ?? fallback;
	return { options, settings: readTransportSettings(read), concurrency: readConcurrency(read) };
}

/** One item's `options` collection. */
export function readOperationOptions(ctx: IExecuteFunctions, itemIndex: number): OperationOptions {
	return operationOptionsFrom(
		(readItemParameter(ctx, 'options', itemIndex, {}) ?? {}) as IDataObject,
	);
}

/** A polling trigger's `options` collection. */
export function readTriggerOptions(ctx: IPollFunctions): OperationOptions {
	return operationOptionsFrom((ctx.getNodeParameter('options', {}) ?? {}) as IDataObject);
}

/** Parallel requests come from the first item: the node runs one pool for all items. */
export function itemPoolConcurrency(ctx: IExecuteFunctions, itemCount: number): number {
	if (!itemCount) return 1;
	const options = (ctx.getNodeParameter('options', 0, {}) ?? {}) as IDataObject;
	return readConcurrency(
		(name, fallback) =>
			options[name] ?? (name === 'concurrency' ? DEFAULT_ITEM_CONCURRENCY : fallback),
	);
}
