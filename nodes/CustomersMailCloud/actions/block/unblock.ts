/** What Unblock Permanently (delete) and Unblock Once (cancel) share: one request per address. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { providerErrorsOf } from '../../../shared/transport/errors';
import { DoneInThisExecution, forEachItem } from '../../../shared/execution/items';
import {
	itemPoolConcurrency,
	optionsCollection,
	readOperationOptions,
} from '../../../shared/description/options';
import { readRequiredText } from '../../../shared/description/parameters';
import { blocksApi } from '../../transport/blocks';
import { readServerComposition, serverCompositionField } from './serverComposition';

/** The provider's code for "that address is not in the block list". */
const NOT_FOUND_CODE = '12-001';

/** The parameters of both; each operation shows them for itself. */
export const unblockProperties: INodeProperties[] = [
	serverCompositionField,
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		description: 'The blocked address (matched exactly, ignoring case)',
		hint: 'Runs once per input item, e.g. {{ $json.email }}',
	},
	optionsCollection({
		own: [
			{
				displayName: 'Output Not Found Instead of Failing',
				name: 'returnNotFound',
				type: 'boolean',
				default: false,
				description:
					'Whether an address that is not in the block list (error 12-001) gives an item with result "notFound" instead of an error',
			},
		],
		withConcurrency: true,
	}),
];

/** The address to unblock: required, one address. */
export function readEmail(ctx: IExecuteFunctions, itemIndex: number): string {
	return readRequiredText(ctx, 'email', itemIndex, {
		label: 'Email',
		expected: 'one address',
		message: 'Email is empty',
		hint: 'Enter the blocked address in "Email", e.g. {{ $json.email }} to take it from the input item.',
	});
}

/** Only 12-001: another error in the same answer (e.g. 10-002) must not be hidden as "notFound". */
function isNotFound(error: unknown): boolean {
	const details = providerErrorsOf(error);
	return details.length > 0 && details.every((detail) => detail.code === NOT_FOUND_CODE);
}

export async function executeUnblock(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	kind: 'delete' | 'cancel',
): Promise<INodeExecutionData[]> {
	const concurrency = itemPoolConcurrency(this, items.length);
	const done = new DoneInThisExecution(this, kind);
	return await forEachItem(
		this,
		items,
		async (itemIndex) => {
			const serverComposition = await readServerComposition(this, itemIndex);
			const email = readEmail(this, itemIndex);
			// Options read once: the client takes the settings rather than reading them again.
			const { options, settings } = readOperationOptions(this, itemIndex);
			const target = `${serverComposition}\u0000${email.toLowerCase()}`;
			const result = await blocksApi(this, { settings, itemIndex }, serverComposition)
				.unblock(kind, email)
				.then(
					() => 'success',
					(error: unknown) => {
						// An earlier try of this execution (Retry On Fail reruns the node) lifted it already.
						if (isNotFound(error) && done.hasEarlier(target)) return 'alreadyDone';
						if (options.returnNotFound === true && isNotFound(error)) return 'notFound';
						// already an error from the shared transport, with code, field and message
						throw error;
					},
				);
			if (result === 'alreadyDone') return { email, result: 'success', alreadyDone: true };
			if (result === 'success') done.record(target);
			return { email, result };
		},
		{
			concurrency,
			sideEffect: { done: kind === 'delete' ? 'unblocked' : 'unblocked once', idField: 'email' },
		},
	);
}
