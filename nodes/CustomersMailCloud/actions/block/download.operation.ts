import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeApiError } from '../../../shared/errors';
import { errorItem } from '../../../shared/items';
import { optionsCollection, readOperationOptions } from '../../../shared/options';
import { credentialSecrets, excerptOf } from '../../../shared/transport';
import { readBlocksFromZip } from '../../helpers/blocksFromZip';
import { defaultDownloadName } from '../../helpers/fileName';
import { readFilters, readServerComposition } from '../../helpers/input';
import { ZipError } from '../../helpers/zip';
import { downloadBlocks } from '../../transport/blocks';
import { CREDENTIAL_TYPE, customersMailCloudProfile } from '../../transport/profile';
import { filtersField, serverCompositionField } from './fields';

const show = { resource: ['block'], operation: ['download'] };

export const description: INodeProperties[] = [
	serverCompositionField(['download']),
	filtersField(['download']),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'ZIP File',
				value: 'binary',
				description: 'The ZIP file as it comes, as binary data',
			},
			{
				name: 'One Item per Block',
				value: 'items',
				description: 'Unzip the CSV inside and output one item per row, like Get Many',
			},
		],
		default: 'binary',
		displayOptions: { show },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show: { ...show, output: ['binary'] } },
	},
	// One download at a time: each may be large.
	optionsCollection({ show, withConcurrency: false }),
];

function zipFailure(ctx: IExecuteFunctions, error: ZipError, itemIndex: number): NodeOperationError {
	const hints: Record<ZipError['problem'], string> = {
		passwordRequired:
			'This account has data encryption turned on: enter its password as "ZIP Password" in the Customers Mail Cloud credential, or choose Output "ZIP File".',
		wrongPassword: 'Check "ZIP Password" in the Customers Mail Cloud credential: it must be the data-encryption password of the account.',
		damaged: 'The download was cut short or altered on the way. Run the node again.',
		unsupported: 'Choose Output "ZIP File" and unzip it with another tool.',
	};
	return new NodeOperationError(ctx.getNode(), error.message, { description: hints[error.problem], itemIndex });
}

async function downloadOne(ctx: IExecuteFunctions, itemIndex: number, output: INodeExecutionData[]): Promise<void> {
	const serverComposition = await readServerComposition(ctx, itemIndex);
	const filters = readFilters(ctx, itemIndex);
	const mode = ctx.getNodeParameter('output', itemIndex, 'binary') as string;
	const { settings } = readOperationOptions(ctx, itemIndex);
	const binaryPropertyName = mode === 'binary' ? String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() : '';
	if (mode === 'binary' && !binaryPropertyName) {
		throw new NodeOperationError(ctx.getNode(), 'Put Output File in Field is empty', {
			description: 'Enter the name of the binary field for the file, e.g. data.',
			itemIndex,
		});
	}
	const file = await downloadBlocks(ctx, serverComposition, filters, settings, itemIndex);
	// Every ZIP starts with "PK"; anything else (a proxy's HTML page with HTTP 200) is no file to pass on.
	if (file.bytes.length < 2 || file.bytes[0] !== 0x50 || file.bytes[1] !== 0x4b) {
		// The page may echo the request, API key included: toNodeApiError redacts it.
		throw toNodeApiError(
			ctx.getNode(),
			{
				httpCode: file.status,
				message: 'Customers Mail Cloud sent something that is not a ZIP file',
				description: `Expected a ZIP file, got ${excerptOf(file.bytes.subarray(0, 2000))}. Check "Host" in the credential (the API host, e.g. https://api.smtps.jp), or try again later.`,
			},
			await credentialSecrets(ctx, customersMailCloudProfile),
			itemIndex,
		);
	}
	const pairedItem = { item: itemIndex };
	if (mode === 'binary') {
		const fileName = file.fileName ?? defaultDownloadName(new Date(), ctx.getTimezone());
		const binary = await ctx.helpers.prepareBinaryData(file.bytes, fileName, 'application/zip');
		output.push({ json: { fileName, fileSize: file.bytes.length }, binary: { [binaryPropertyName]: binary }, pairedItem });
		return;
	}
	const { zipPassword } = await ctx.getCredentials(CREDENTIAL_TYPE);
	const password = typeof zipPassword === 'string' && zipPassword !== '' ? zipPassword : undefined;
	// Rows go straight into the output: the unzipped CSV is never held whole.
	const start = output.length;
	await readBlocksFromZip(file.bytes, password, (block: IDataObject) => output.push({ json: block, pairedItem })).catch(
		(error: unknown) => {
			output.length = start;
			throw error instanceof ZipError ? zipFailure(ctx, error, itemIndex) : error;
		},
	);
}

/**
 * n8n errors carry the node, parameters included, into execution data and logs. Workflows saved
 * while the ZIP password was a node option may still hold it there: failures carry a copy of the
 * node without it.
 */
function withoutZipPassword(error: unknown, node: INode): unknown {
	const options = (node.parameters?.options ?? {}) as IDataObject;
	if (!options.zipPassword || !error || typeof error !== 'object' || !('node' in error)) return error;
	const parameters = { ...node.parameters, options: { ...options, zipPassword: '[redacted]' } };
	(error as { node: INode }).node = { ...node, parameters };
	return error;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	// One download at a time: each may be large.
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const failure = await downloadOne(this, itemIndex, output).then(
			() => undefined,
			(error: unknown) => error ?? new Error('Unknown error'),
		);
		if (failure === undefined) continue;
		if (!this.continueOnFail()) throw withoutZipPassword(failure, this.getNode());
		output.push(errorItem(this, failure, itemIndex));
	}
	return output;
}
