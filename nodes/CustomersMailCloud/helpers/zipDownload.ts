/**
 * The download operations' common flow (Blocks and Bounces): the ZIP as binary data, or its CSV
 * unzipped into one item per row; encrypted ZIPs opened with the account's ZIP password.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../../shared/execution/items';
import type { TransportSettings } from '../../shared/transport/request';
import { credentialSecrets, excerptOf } from '../../shared/transport/request';
import { toNodeApiError } from '../../shared/transport/errors';
import { readOperationOptions } from '../../shared/description/options';
import type { DownloadedFile } from '../transport/download';
import { CREDENTIAL_TYPE, customersMailCloudProfile } from '../transport/profile';
import { readCsvRowsFromZip } from './csvFromZip';
import { defaultDownloadName } from './fileName';
import { ZipError } from './zip';

/** Output (ZIP file, or one item per row) and the binary field name; `rowsName` names the second choice. */
export function downloadOutputFields(rowsName: string): INodeProperties[] {
	return [
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
					name: rowsName,
					value: 'items',
					description: 'Unzip the CSV inside and output one item per row, like Get Many',
				},
			],
			default: 'binary',
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field to put the file in',
			displayOptions: { show: { output: ['binary'] } },
		},
	];
}

/** The one place the ZIP password is read from: the credential (never a node parameter, which workflows store in plain text). */
export async function readZipPassword(ctx: IExecuteFunctions): Promise<string | undefined> {
	const { zipPassword } = await ctx.getCredentials(CREDENTIAL_TYPE);
	return typeof zipPassword === 'string' && zipPassword !== '' ? zipPassword : undefined;
}

export interface ZipDownloadSpec {
	/** e.g. "blocks": names the file when the API sends no name. */
	fileNamePrefix: string;
	/** Reads the item's parameters (checked before any request) and returns the download to run. */
	prepare(ctx: IExecuteFunctions, itemIndex: number, settings: TransportSettings): Promise<() => Promise<DownloadedFile>>;
	/** One CSV row (columns by the header) as an output item. */
	toItem(row: IDataObject): IDataObject;
}

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

async function downloadOne(
	ctx: IExecuteFunctions,
	spec: ZipDownloadSpec,
	itemIndex: number,
	output: INodeExecutionData[],
): Promise<void> {
	const mode = ctx.getNodeParameter('output', itemIndex, 'binary') as string;
	const { settings } = readOperationOptions(ctx, itemIndex);
	const binaryPropertyName = mode === 'binary' ? String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() : '';
	const download = await spec.prepare(ctx, itemIndex, settings);
	if (mode === 'binary' && !binaryPropertyName) {
		throw new NodeOperationError(ctx.getNode(), 'Put Output File in Field is empty', {
			description: 'Enter the name of the binary field for the file, e.g. data.',
			itemIndex,
		});
	}
	const file = await download();
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
		const fileName = file.fileName ?? defaultDownloadName(new Date(), ctx.getTimezone(), spec.fileNamePrefix);
		const binary = await ctx.helpers.prepareBinaryData(file.bytes, fileName, 'application/zip');
		output.push({ json: { fileName, fileSize: file.bytes.length }, binary: { [binaryPropertyName]: binary }, pairedItem });
		return;
	}
	// Rows go straight into the output: the unzipped CSV is never held whole.
	const start = output.length;
	await readCsvRowsFromZip(file.bytes, await readZipPassword(ctx), (row) => output.push({ json: spec.toItem(row), pairedItem })).catch(
		(error: unknown) => {
			output.length = start;
			throw error instanceof ZipError ? zipFailure(ctx, error, itemIndex) : error;
		},
	);
}

/**
 * n8n errors carry the node, parameters included, into execution data and logs: the ZIP
 * password is a parameter, so failures carry a copy of the node without it.
 */
function withoutZipPassword(error: unknown, node: INode): unknown {
	const options = (node.parameters?.options ?? {}) as IDataObject;
	if (!options.zipPassword || !error || typeof error !== 'object' || !('node' in error)) return error;
	const parameters = { ...node.parameters, options: { ...options, zipPassword: '[redacted]' } };
	(error as { node: INode }).node = { ...node, parameters };
	return error;
}

/** Runs a download per input item, one at a time (each may be large). */
export async function executeZipDownload(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	spec: ZipDownloadSpec,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const failure = await downloadOne(ctx, spec, itemIndex, output).then(
			() => undefined,
			(error: unknown) => error ?? new Error('Unknown error'),
		);
		if (failure === undefined) continue;
		if (!ctx.continueOnFail()) throw withoutZipPassword(failure, ctx.getNode());
		output.push(errorItem(ctx, failure, itemIndex));
	}
	return output;
}
