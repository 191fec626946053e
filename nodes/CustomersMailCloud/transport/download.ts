/** What a download call answers: the file's bytes and the name the API gives it. */
import type { ApiResponse } from '../../shared/transport/request';

export interface DownloadedFile {
	/** HTTP status of the answer (a non-ZIP answer is reported with it). */
	status: number;
	bytes: Buffer;
	/** From Content-Disposition, when the API names the file. */
	fileName?: string;
	mimeType?: string;
}

export function fileNameFrom(disposition: unknown): string | undefined {
	const header = Array.isArray(disposition) ? disposition[0] : disposition;
	if (typeof header !== 'string') return undefined;
	const encoded = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
	if (encoded) {
		try {
			return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
		} catch {
			// not percent-encoded after all: fall back to the plain form
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
	const name = plain ? (plain[2] ?? plain[1]).trim() : '';
	return name || undefined;
}

/** The file of a download answer. */
export function downloadedFile(response: ApiResponse<Buffer>): DownloadedFile {
	const contentType = response.headers['content-type'];
	return {
		status: response.status,
		bytes: response.body,
		fileName: fileNameFrom(response.headers['content-disposition']),
		mimeType: typeof contentType === 'string' ? contentType.split(';')[0].trim() : undefined,
	};
}
