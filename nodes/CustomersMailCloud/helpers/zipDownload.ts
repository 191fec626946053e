/**
 * The download operations' common flow (Blocks and Bounces): the ZIP as binary data, or its CSV
 * unzipped into one item per row; encrypted ZIPs opened with the account's ZIP password.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WithBinary, forEachItem } from '../../shared/execution/items';
import { withoutSecretOptions } from '../../shared/transport/errors';
import type { DownloadedFile } from '../transport/download';
import { CREDENTIAL_TYPE } from '../transport/profile';
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
	/** Reads the item's parameters (checked before any request) and returns the download to run; it answers a ZIP or fails. */
	prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<() => Promise<DownloadedFile>>;
	/** One CSV row (columns by the header) as an output item. */
	toItem(row: IDataObject): IDataObject;
}

function zipFailure(
	ctx: IExecuteFunctions,
	error: ZipError,
	itemIndex: number,
): NodeOperationError {
	const hints: Record<ZipError['problem'], string> = {
		passwordRequired:
			'This account has data encryption turned on: enter its password as "ZIP Password" in the Customers Mail Cloud credential, or choose Output "ZIP File".',
		wrongPassword:
			'Check "ZIP Password" in the Customers Mail Cloud credential: it must be the data-encryption password of the account.',
		damaged: 'The download was cut short or altered on the way. Run the node again.',
		unsupported: 'Choose Output "ZIP File" and unzip it with another tool.',
	};
	return new NodeOperationError(ctx.getNode(), error.message, {
		description: hints[error.problem],
		itemIndex,
	});
}

async function downloadOne(
	ctx: IExecuteFunctions,
	spec: ZipDownloadSpec,
	itemIndex: number,
): Promise<WithBinary | IDataObject[]> {
	const mode = ctx.getNodeParameter('output', itemIndex, 'binary') as string;
	const binaryPropertyName =
		mode === 'binary'
			? String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim()
			: '';
	const download = await spec.prepare(ctx, itemIndex);
	if (mode === 'binary' && !binaryPropertyName) {
		throw new NodeOperationError(ctx.getNode(), 'Put Output File in Field is empty', {
			description: 'Enter the name of the binary field for the file, e.g. data.',
			itemIndex,
		});
	}
	const file = await download();
	if (mode === 'binary') {
		const fileName =
			file.fileName ?? defaultDownloadName(new Date(), ctx.getTimezone(), spec.fileNamePrefix);
		const binary = await ctx.helpers.prepareBinaryData(file.bytes, fileName, 'application/zip');
		return new WithBinary(
			{ fileName, fileSize: file.bytes.length },
			{ [binaryPropertyName]: binary },
		);
	}
	const rows: IDataObject[] = [];
	await readCsvRowsFromZip(file.bytes, await readZipPassword(ctx), (row) =>
		rows.push(spec.toItem(row)),
	).catch((error: unknown) => {
		throw error instanceof ZipError ? zipFailure(ctx, error, itemIndex) : error;
	});
	return rows;
}

/** Runs a download per input item, one at a time (each may be large). */
export async function executeZipDownload(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	spec: ZipDownloadSpec,
): Promise<INodeExecutionData[]> {
	return await forEachItem(
		ctx,
		items,
		async (itemIndex) =>
			await downloadOne(ctx, spec, itemIndex).catch((error: unknown) => {
				// Older workflows hold the ZIP password as an option; it is in the credential now.
				throw withoutSecretOptions(error, ctx.getNode(), ['zipPassword']);
			}),
	);
}
