/** Customers Mail Cloud's Transaction API v2: every call POSTs a form to /transaction/v2/<resource>/<operation>.json. */
import type { IDataObject } from 'n8n-workflow';

import { credentialBaseUrl } from '../../shared/transport/baseUrl';
import type {
	ApiClient,
	ClientRequest,
	ClientScope,
	ProviderApi,
} from '../../shared/transport/client';
import { apiClient } from '../../shared/transport/client';
import type { ApiResponse, RequestContext } from '../../shared/transport/request';
import type { DownloadedFile } from './download';
import { downloadedFile } from './download';
import { CREDENTIAL_TYPE, customersMailCloudProfile } from './profile';
import { recordsOf } from './records';

export type TransactionResource = 'blocks' | 'deliveries' | 'bounces';
export type TransactionOperation = 'list' | 'download' | 'delete' | 'cancel';

const DEFAULT_HOST = 'https://api.smtps.jp';

export const customersMailCloudApi: ProviderApi = {
	profile: customersMailCloudProfile,
	baseUrl: async (ctx) => await credentialBaseUrl(ctx, CREDENTIAL_TYPE, 'host', DEFAULT_HOST),
};

export function transactionPath(
	resource: TransactionResource,
	operation: TransactionOperation,
): string {
	return `/transaction/v2/${resource}/${operation}.json`;
}

/** The API's names of the filter fields that differ from ours; the others are sent as they are named. */
const FORM_NAMES: Readonly<Record<string, string>> = {
	startDate: 'start_date',
	endDate: 'end_date',
	apiData: 'api_data',
};

/** The form of a list or download: the server composition and every filter that is set (a set flag as "true"). */
export function filterForm(serverComposition: string, filters: object): IDataObject {
	const form: IDataObject = { server_composition: serverComposition };
	for (const [name, value] of Object.entries(filters)) {
		if (value === undefined || value === null || value === '' || value === false) continue;
		form[FORM_NAMES[name] ?? name] = value === true ? 'true' : (value as IDataObject[string]);
	}
	return form;
}

/** A ZIP starts with "PK"; anything else (a proxy's HTML page with HTTP 200) is no file to pass on. */
const ZIP_FILE = {
	holds: (body: unknown) =>
		Buffer.isBuffer(body) && body.length >= 2 && body[0] === 0x50 && body[1] === 0x4b,
	message: 'Customers Mail Cloud sent something that is not a ZIP file',
	description: (got: string) =>
		`Expected a ZIP file, got ${got}. Check "Host" in the credential (the API host, e.g. https://api.smtps.jp), or try again later.`,
};

export interface ListSpec {
	/** The answer's list field, e.g. "blocks". */
	envelope: string;
	/** Whether an empty answer reads as no records (what the SDKs do for Deliveries and Bounces). */
	emptyMeansNone?: boolean;
}

/** One resource of the Transaction API, for one item or poll. */
export class TransactionApi {
	readonly client: ApiClient;

	constructor(
		ctx: RequestContext,
		scope: ClientScope,
		private readonly resource: TransactionResource,
	) {
		this.client = apiClient(ctx, customersMailCloudApi, scope);
	}

	/** Only read operations (list, download) are repeated after a 5xx or dropped connection. */
	async post<T>(
		operation: TransactionOperation,
		form: IDataObject,
		request: Partial<ClientRequest> = {},
	): Promise<ApiResponse<T>> {
		const readOnly = operation === 'list' || operation === 'download';
		return await this.client.send<T>({
			method: 'POST',
			path: transactionPath(this.resource, operation),
			body: form,
			bodyFormat: 'form',
			responseFormat: operation === 'download' ? 'binary' : 'json',
			idempotent: readOnly,
			...request,
		});
	}

	/** One page of the list: p = page index, r = records per page. */
	async listPage(
		form: IDataObject,
		page: number,
		pageSize: number,
		spec: ListSpec,
	): Promise<IDataObject[]> {
		const answer = await this.post(
			'list',
			{ ...form, p: page, r: pageSize },
			// What the SDKs do for Deliveries and Bounces: HTTP 200 or 204 with an empty body is no records.
			spec.emptyMeansNone ? { emptyBody: {} } : {},
		);
		return recordsOf(answer.body, spec.envelope);
	}

	/** The ZIP of all records matching the form. */
	async download(form: IDataObject): Promise<DownloadedFile> {
		return downloadedFile(await this.post<Buffer>('download', form, { expect: ZIP_FILE }));
	}
}
