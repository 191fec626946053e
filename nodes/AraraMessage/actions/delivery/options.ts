/** Reading an operation's `options` collection: request settings and parallel requests. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readConcurrency, readTransportSettings } from '../../../shared/options';
import type { TransportSettings } from '../../../shared/transport';

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
}

export function settingsFrom(options: IDataObject): TransportSettings {
	return readTransportSettings((name, fallback) => options[name] ?? fallback);
}

/** Parallel requests come from the first item: the node runs one pool for all items. */
export function concurrencyOf(ctx: IExecuteFunctions, itemCount: number): number {
	if (!itemCount) return 1;
	const options = readOptions(ctx, 0);
	return readConcurrency((name, fallback) => options[name] ?? fallback);
}
