import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInput } from '../../../shared/transport/errors';
import { runBatched } from '../../../shared/execution/batched';
import type { UniqueBatch } from '../../../shared/execution/uniqueBatches';
import { uniqueBatches } from '../../../shared/execution/uniqueBatches';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { MAX_LOOKUP_BATCH, errorFilterApi } from '../../transport/errorFilter';
import { readItemParameter } from '../../../shared/description/itemParameter';

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

export const description = updateDisplayOptions(
	{ show: { resource: ['errorFilter'], operation: ['lookup'] } },
	properties,
);

function readAddresses(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const value = readItemParameter(ctx, 'address', itemIndex);
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
	if (!entry)
		return { address, registered: false, count: 0, registered_date: null, update_date: null };
	// Copied key by key: an object rest and spread per address took V8's slow path (50,000 items).
	const result: IDataObject = { address, registered: true };
	for (const key of Object.keys(entry)) if (key !== 'address') result[key] = entry[key];
	result.filterAddress = entry.address;
	return result;
}

/** The service's entry for `address` in the answers of the batches that asked for it. */
function entryIn(
	sent: ReadonlyArray<{ result: Map<string, IDataObject> }>,
	address: string,
): IDataObject | undefined {
	const key = address.toLowerCase();
	for (const { result } of sent) {
		const entry = result.get(key);
		if (entry) return entry;
	}
	return undefined;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	if (items.length === 0) return [];
	// The first item's options apply to all: the addresses of every item are looked up together.
	const { options, settings, concurrency } = readOperationOptions(this, 0);
	const batchSize = Math.min(
		MAX_LOOKUP_BATCH,
		Math.max(1, Math.floor(Number(options.batchSize ?? MAX_LOOKUP_BATCH)) || MAX_LOOKUP_BATCH),
	);
	const api = errorFilterApi(this, { settings });
	return await runBatched<string[], UniqueBatch<string>, Map<string, IDataObject>>(this, items, {
		read: (itemIndex) => readAddresses(this, itemIndex),
		// Each address once (case-insensitively), in batches.
		pack: (reads) => uniqueBatches(reads, batchSize, (address) => address.toLowerCase()).batches,
		send: async (batch) => await api.lookUp(batch.values),
		concurrency,
		output: (itemIndex, addresses, sent) =>
			addresses.map((address) => ({
				json: resultFor(address, entryIn(sent, address)),
				pairedItem: { item: itemIndex },
			})),
	});
}
