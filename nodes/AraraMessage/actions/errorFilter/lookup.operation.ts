import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInput } from '../../../shared/transport/errors';
import { forEachItem } from '../../../shared/execution/items';
import { mapWithConcurrency } from '../../../shared/transport/limiter';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { MAX_LOOKUP_BATCH, lookUpErrorFilter } from '../../transport/errorFilter';

const properties: INodeProperties[] = [
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.email }}',
		description:
			'The e-mail address to look up, usually from the input item. An expression may also give a list of addresses. The addresses of all input items are looked up together, up to 10,000 per request.',
	},
	optionsCollection({
		own: [
			{
				displayName: 'Addresses per Request',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_LOOKUP_BATCH },
				default: MAX_LOOKUP_BATCH,
				description:
					'How many addresses one request asks about (at most 10,000). A request the service finds too large is split and sent again. Taken from the first item.',
			},
		],
		withConcurrency: true,
	}),
];

export const description = updateDisplayOptions({ show: { resource: ['errorFilter'], operation: ['lookup'] } }, properties);

/** One input item's addresses, or why the item cannot be looked up. */
type ItemAddresses = { addresses: string[] } | { error: unknown };

function readAddresses(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const value = ctx.getNodeParameter('address', itemIndex, '') as unknown;
	const values = Array.isArray(value) ? value : [value];
	const addresses: string[] = [];
	for (const entry of values) {
		if (entry !== null && typeof entry === 'object') {
			throw invalidInput(
				ctx.getNode(),
				'Address must be an address or a list of addresses, not an object',
				'Map the address itself, e.g. {{ $json.email }}, not the whole item.',
				itemIndex,
			);
		}
		const address = String(entry ?? '').trim();
		if (!address) {
			throw invalidInput(
				ctx.getNode(),
				Array.isArray(value) ? 'Address holds an empty entry' : 'Address is empty',
				'Enter the address to look up in "Address", e.g. {{ $json.email }} to take it from the input item.',
				itemIndex,
			);
		}
		addresses.push(address);
	}
	return addresses;
}

function resultFor(address: string, entry: IDataObject | undefined): IDataObject {
	if (!entry) return { address, registered: false, count: 0, registered_date: null, update_date: null };
	const { address: filterAddress, ...rest } = entry;
	return { address, registered: true, ...rest, filterAddress };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (items.length === 0) return [];
	const continueOnFail = this.continueOnFail();
	// Every item's addresses first: bad input fails before any request is sent.
	const perItem: ItemAddresses[] = items.map((_item, itemIndex) => {
		try {
			return { addresses: readAddresses(this, itemIndex) };
		} catch (error) {
			return { error };
		}
	});
	const firstBad = perItem.find((entry): entry is { error: unknown } => 'error' in entry);
	if (firstBad && !continueOnFail) throw firstBad.error;

	// Each address once (case-insensitively), in batches; the first item's options apply to all.
	const unique = new Map<string, string>();
	for (const entry of perItem) {
		if (!('addresses' in entry)) continue;
		for (const address of entry.addresses) {
			if (!unique.has(address.toLowerCase())) unique.set(address.toLowerCase(), address);
		}
	}
	const { options, settings, concurrency } = readOperationOptions(this, 0);
	const batchSize = Math.min(MAX_LOOKUP_BATCH, Math.max(1, Math.floor(Number(options.batchSize ?? MAX_LOOKUP_BATCH)) || MAX_LOOKUP_BATCH));
	const addresses = [...unique.values()];
	const batches: string[][] = [];
	for (let start = 0; start < addresses.length; start += batchSize) batches.push(addresses.slice(start, start + batchSize));

	const found = new Map<string, IDataObject>();
	const failedBy = new Map<string, unknown>();
	let stopped = false;
	await mapWithConcurrency(batches, concurrency, async (batch) => {
		if (stopped) return;
		try {
			const entries = await lookUpErrorFilter(this, batch, settings);
			for (const [key, entry] of entries) found.set(key, entry);
		} catch (error) {
			for (const address of batch) failedBy.set(address.toLowerCase(), error);
			if (!continueOnFail) stopped = true;
		}
	});

	return await forEachItem(this, items, async (itemIndex) => {
		const entry = perItem[itemIndex];
		if ('error' in entry) throw entry.error;
		const failure = entry.addresses.map((address) => failedBy.get(address.toLowerCase())).find(Boolean);
		if (failure) throw failure;
		return entry.addresses.map((address) => resultFor(address, found.get(address.toLowerCase())));
	});
}
