/**
 * The one HTTP path every provider uses: n8n's own authenticated client (instance proxy,
 * credential `authenticate`, OAuth2 token handling), plus timeouts, bounded retries that honour
 * Retry-After, and errors that carry the provider's code, field and message with no secret.
 */
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IPollFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ProviderErrorDetail, ProviderFailure } from './errors';
import { toNodeApiError } from './errors';
import { oneTokenPerExecution, tokenRefusal } from './oauth2';
import { oncePerContext } from './perContext';
import type { RetryPolicy } from './retry';
import { isRetryableNetworkError, isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry';
import { withFailureCause } from './retryAfter';

export type RequestContext = IExecuteFunctions | IPollFunctions;

/** What the shared transport needs to know about a provider. */
export interface ProviderProfile {
	/** n8n credential type name. */
	credentialType: string;
	/** Shown in error messages, e.g. "Customers Mail Cloud". */
	displayName: string;
	/** Credential fields whose values must never appear in an error or item. */
	secretFields: readonly string[];
	/**
	 * Reads the provider's own errors out of a body (already parsed when it was JSON).
	 * Returns undefined when the body is not an error. Called for every answer, so a provider
	 * that reports errors with status 200 is caught too.
	 */
	readErrors(body: unknown, status: number): ProviderErrorDetail[] | undefined;
	/** Optional: a clearer message for a status, e.g. 404 on a lookup. */
	describeStatus?(status: number, details: ProviderErrorDetail[]): string | undefined;
	/**
	 * For OAuth2 client-credentials credentials: a 401 is sent once more with HTTP errors enabled,
	 * which is the path on which n8n fetches a fresh token and repeats the request; the first
	 * request of an execution runs alone, so parallel requests share one token; and a refused
	 * token request reads as such, not as a connection failure.
	 */
	oauth2ClientCredentials?: boolean;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	/** A Buffer is JSON serialized already: it is sent as it is. */
	body?: IDataObject | IDataObject[] | Buffer;
	/** Form bodies are URL-encoded; JSON is the default. */
	bodyFormat?: 'json' | 'form';
	headers?: IDataObject;
	/** 'binary' returns the body as a Buffer (downloads). */
	responseFormat?: 'json' | 'binary';
	/**
	 * What an empty 2xx answer stands for, e.g. `{}` where a provider leaves a list with no
	 * records empty. Without it an empty body is a broken answer: retried, then an error.
	 */
	emptyBody?: IDataObject;
	/**
	 * Whether sending it twice does no harm. Only idempotent requests are retried after a
	 * 5xx or a dropped connection; any request is retried after a 429, which the provider did
	 * not process.
	 */
	idempotent: boolean;
}

export interface TransportSettings {
	timeoutMs: number;
	retry: RetryPolicy;
}

export interface ApiResponse<T = unknown> {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: T;
}

const credentialCache = oncePerContext<IDataObject>();

/**
 * The node's credential of `credentialType`, read once per execution context: what a node reads
 * for itself (host, default server composition, secrets to redact) need not be fetched and
 * decrypted again for every item, and n8n's authenticated helper is handed it (decryptedOnce).
 */
export async function credentialsOnce(
	ctx: { getCredentials(type: string): Promise<ICredentialDataDecryptedObject> },
	credentialType: string,
): Promise<IDataObject> {
	return await credentialCache(
		ctx,
		credentialType,
		async () => (await ctx.getCredentials(credentialType)) as IDataObject,
	);
}

const secretCache = oncePerContext<string[]>();

/**
 * The secret values of the node's credential, for redaction. Read once per execution context, on
 * its own (not from credentialsOnce): by the time a text needs redacting, n8n may have stored an
 * OAuth2 token that an earlier read did not hold.
 */
export async function credentialSecrets(
	ctx: RequestContext,
	profile: ProviderProfile,
): Promise<string[]> {
	return await secretCache(ctx, profile.credentialType, async () => {
		try {
			const credentials = (await ctx.getCredentials(profile.credentialType)) as IDataObject;
			const values = profile.secretFields.map((field) => credentials[field]);
			const token = (credentials.oauthTokenData as IDataObject | undefined)?.access_token;
			return [...values, token].filter(
				(value): value is string => typeof value === 'string' && value !== '',
			);
		} catch {
			return [];
		}
	});
}

interface HttpAnswer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * n8n's authenticated helper wraps client errors in a NodeApiError that keeps the HTTP status
 * (`httpCode`) and a JSON body (`context.data`) but drops the response headers and the original
 * error. Statuses therefore normally come back as answers (ignoreHttpStatusErrors); this only
 * reads what the OAuth2 re-send path throws.
 */
function answerFromError(error: unknown): HttpAnswer | undefined {
	const failure = error as {
		httpCode?: unknown;
		context?: { data?: unknown };
		description?: unknown;
	};
	const status = Number(failure.httpCode);
	if (!Number.isInteger(status) || status < 100) return undefined;
	return { status, headers: {}, body: failure.context?.data ?? failure.description ?? '' };
}

const NETWORK_MESSAGE_CODES: Array<[RegExp, string]> = [
	[/timeout|timed out/i, 'ETIMEDOUT'],
	[/socket hang up|ECONNRESET|aborted/i, 'ECONNRESET'],
	[/ECONNREFUSED/i, 'ECONNREFUSED'],
	[/ENOTFOUND|EAI_AGAIN/i, 'ENOTFOUND'],
];

/** The network error code behind a failure with no HTTP answer (timeout, reset, refused). */
function networkCodeFromError(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		for (const key of ['code', 'httpCode'] as const) {
			const code = (current as Record<string, unknown>)[key];
			if (typeof code === 'string' && /^E[A-Z_]+$/.test(code))
				return code === 'ECONNABORTED' ? 'ETIMEDOUT' : code;
		}
		const message = String((current as { message?: unknown }).message ?? '');
		const match = NETWORK_MESSAGE_CODES.find(([pattern]) => pattern.test(message));
		if (match) return match[1];
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function bodyAsText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}

/** Parses a JSON body that the client left as text or bytes; undefined when it is not JSON. */
export function parseJsonBody(body: unknown): unknown {
	if (
		body !== null &&
		typeof body === 'object' &&
		!Buffer.isBuffer(body) &&
		!(body instanceof ArrayBuffer)
	) {
		return body;
	}
	const text = bodyAsText(body).trim();
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A short, readable excerpt of a body that is not JSON (an HTML error page, a truncated answer). */
export function excerptOf(body: unknown): string {
	const text = bodyAsText(body)
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	if (!text) return 'an empty body';
	return text.length > 200 ? `"${text.slice(0, 200)}…"` : `"${text}"`;
}

function failureFromAnswer(
	profile: ProviderProfile,
	answer: HttpAnswer,
	attempts: number,
): ProviderFailure {
	const parsed = parseJsonBody(answer.body);
	const details = parsed !== undefined ? (profile.readErrors(parsed, answer.status) ?? []) : [];
	const summary =
		profile.describeStatus?.(answer.status, details) ??
		(details.length
			? details.map((detail) => detail.message).join('; ')
			: `${profile.displayName} answered HTTP ${answer.status}`);
	const lines: string[] = [];
	if (details.length) {
		for (const detail of details) {
			lines.push(
				[
					detail.code && `code ${detail.code}`,
					detail.field && `field "${detail.field}"`,
					detail.message,
				]
					.filter(Boolean)
					.join(' · '),
			);
		}
	} else if (parsed === undefined) {
		lines.push(`The answer was not valid JSON: ${excerptOf(answer.body)}.`);
	}
	if (answer.status === 429 || answer.status >= 500) {
		lines.push(
			`Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}; try again later or raise "Retry Attempts".`,
		);
	}
	return { httpCode: answer.status, message: summary, description: lines.join('\n'), details };
}

function failureFromNetwork(
	profile: ProviderProfile,
	code: string | undefined,
	settings: TransportSettings,
	attempts: number,
): ProviderFailure {
	const refused = profile.oauth2ClientCredentials
		? tokenRefusal(profile.displayName, code)
		: undefined;
	if (refused) return refused;
	const timedOut = code === 'ETIMEDOUT';
	const message = timedOut
		? `${profile.displayName} did not answer within ${settings.timeoutMs / 1000} s`
		: `The connection to ${profile.displayName} failed${code ? ` (${code})` : ''}`;
	const hint = timedOut
		? 'Raise "Timeout" in the node options, or try again later.'
		: 'Check the host in the credential and the network, or try again later.';
	return {
		message,
		description: `${hint} Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}.`,
		networkCode: code,
	};
}

/**
 * Sends one request with retries. Resolves with the answer, or rejects with a NodeApiError that
 * names the provider's error and carries no secret.
 */
export async function sendRequest<T = unknown>(
	ctx: RequestContext,
	profile: ProviderProfile,
	request: ApiRequest,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<ApiResponse<T>> {
	const send = async () => await sendWithRetries<T>({ ctx, profile, request, settings, itemIndex });
	return profile.oauth2ClientCredentials
		? await oneTokenPerExecution(ctx, profile.credentialType, send)
		: await send();
}

/** One request as sendRequest was given it. */
interface Exchange {
	ctx: RequestContext;
	profile: ProviderProfile;
	request: ApiRequest;
	settings: TransportSettings;
	itemIndex?: number;
}

/** What one attempt came to: an answer, a retry after a wait, or a failure to report. */
type Verdict<T> =
	| { outcome: 'done'; response: ApiResponse<T> }
	| { outcome: 'retry'; waitMs: number }
	| { outcome: 'fail'; failure: ProviderFailure };

async function sendWithRetries<T>({
	ctx,
	profile,
	request,
	settings,
	itemIndex,
}: Exchange): Promise<ApiResponse<T>> {
	const maxAttempts = Math.max(1, Math.floor(settings.retry.maxAttempts));
	const options = httpOptionsFor(request, settings);
	for (let attempt = 1; ; attempt++) {
		const result = await sendOnce(ctx, profile, options);
		const mayRetry = attempt < maxAttempts;
		const verdict =
			'answer' in result
				? judgeAnswer<T>(profile, request, settings, result.answer, attempt, mayRetry)
				: judgeNetworkFault<T>(profile, request, settings, result, attempt, mayRetry);
		if (verdict.outcome === 'done') return verdict.response;
		if (verdict.outcome === 'retry') {
			await sleep(verdict.waitMs);
			continue;
		}
		throw withFailureCause(
			toNodeApiError(
				ctx.getNode(),
				verdict.failure,
				await credentialSecrets(ctx, profile),
				itemIndex,
			),
			'answer' in result ? result.answer : undefined,
		);
	}
}

function httpOptionsFor(request: ApiRequest, settings: TransportSettings): IHttpRequestOptions {
	const form = request.bodyFormat === 'form';
	// A Buffer is JSON the caller has already serialized (and measured): sent as it is.
	const serialized = Buffer.isBuffer(request.body);
	// Only the fields a request has: n8n copies and inspects every option it is given, per request.
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		// A copy: n8n adds the credential's headers to the object it is given.
		headers: form
			? { 'Content-Type': 'application/x-www-form-urlencoded', ...request.headers }
			: serialized
				? { 'Content-Type': 'application/json', ...request.headers }
				: { ...request.headers },
		json: request.responseFormat !== 'binary',
		returnFullResponse: true,
		// Statuses come back as answers, so Retry-After and the provider's error body stay readable.
		ignoreHttpStatusErrors: true,
		timeout: settings.timeoutMs,
	};
	if (request.qs !== undefined) options.qs = request.qs;
	if (request.body !== undefined)
		options.body = form && !serialized ? { ...request.body } : request.body;
	if (request.responseFormat === 'binary') options.encoding = 'arraybuffer';
	return options;
}

const decryptedCache = oncePerContext<IAdditionalCredentialOptions>();

/**
 * The credential for n8n's authenticated helper, decrypted once per execution: without it n8n
 * loads and decrypts the credential from its database for every request. n8n still applies the
 * credential's `authenticate` (and its proxy settings) to each request. OAuth2 credentials cannot
 * take it: n8n's OAuth2 path reads the credential itself, since it may store a renewed token.
 */
async function decryptedOnce(
	ctx: RequestContext,
	profile: ProviderProfile,
): Promise<IAdditionalCredentialOptions | undefined> {
	if (profile.oauth2ClientCredentials) return undefined;
	const type = profile.credentialType;
	return await decryptedCache(ctx, type, async () => {
		const reference = ctx.getNode().credentials?.[type];
		const data = (await credentialsOnce(ctx, type)) as ICredentialDataDecryptedObject;
		return {
			credentialsDecrypted: {
				id: reference?.id ?? '',
				name: reference?.name ?? type,
				type,
				data,
			},
		};
	});
}

/** One call of n8n's authenticated helper; HTTP error statuses throw only when `httpErrorsThrow`. */
async function callHelper(
	ctx: RequestContext,
	profile: ProviderProfile,
	options: IHttpRequestOptions,
	httpErrorsThrow: boolean,
): Promise<HttpAnswer> {
	const full = (await ctx.helpers.httpRequestWithAuthentication.call(
		ctx,
		profile.credentialType,
		{ ...options, ignoreHttpStatusErrors: !httpErrorsThrow },
		await decryptedOnce(ctx, profile),
	)) as IN8nHttpFullResponse;
	return {
		status: full.statusCode,
		headers: full.headers as HttpAnswer['headers'],
		body: full.body,
	};
}

/** One request through n8n's authenticated helper: the HTTP answer, or the network fault. */
async function sendOnce(
	ctx: RequestContext,
	profile: ProviderProfile,
	options: IHttpRequestOptions,
): Promise<{ answer: HttpAnswer } | { networkCode: string | undefined; error: unknown }> {
	try {
		const answer = await callHelper(ctx, profile, options, false);
		// n8n renews an OAuth2 token only when a request throws 401: send it once more that way.
		if (answer.status === 401 && profile.oauth2ClientCredentials)
			return { answer: await callHelper(ctx, profile, options, true) };
		return { answer };
	} catch (error) {
		const answer = answerFromError(error);
		if (answer && answer.status >= 400) return { answer };
		// A thrown error with a 2xx status (n8n 2.41 does this): the answer broke off after its status line.
		return {
			networkCode: networkCodeFromError(error) ?? (answer ? 'ECONNRESET' : undefined),
			error,
		};
	}
}

function judgeAnswer<T>(
	profile: ProviderProfile,
	request: ApiRequest,
	settings: TransportSettings,
	answer: HttpAnswer,
	attempt: number,
	mayRetry: boolean,
): Verdict<T> {
	const parsed = request.responseFormat === 'binary' ? undefined : parseJsonBody(answer.body);
	const providerErrors =
		parsed !== undefined ? profile.readErrors(parsed, answer.status) : undefined;
	if (answer.status < 400 && !providerErrors?.length) {
		if (request.responseFormat === 'binary') {
			const bytes = Buffer.isBuffer(answer.body)
				? answer.body
				: Buffer.from(answer.body as ArrayBuffer);
			// A download that answers JSON is an error report, not a file.
			const asJson = looksLikeJson(bytes) ? parseJsonBody(bytes) : undefined;
			if (!(asJson !== undefined && profile.readErrors(asJson, answer.status)?.length)) {
				return {
					outcome: 'done',
					response: { status: answer.status, headers: answer.headers, body: bytes as T },
				};
			}
			return {
				outcome: 'fail',
				failure: failureFromAnswer(profile, { ...answer, body: bytes }, attempt),
			};
		}
		if (parsed !== undefined) {
			return {
				outcome: 'done',
				response: { status: answer.status, headers: answer.headers, body: parsed as T },
			};
		}
		if (request.emptyBody !== undefined && bodyAsText(answer.body).trim() === '') {
			return {
				outcome: 'done',
				response: { status: answer.status, headers: answer.headers, body: request.emptyBody as T },
			};
		}
		// 2xx but not JSON: a truncated answer (worth another try) or a proxy's HTML page.
		if (mayRetry && request.idempotent)
			return { outcome: 'retry', waitMs: retryDelayMs(attempt, settings.retry) };
		return {
			outcome: 'fail',
			failure: {
				httpCode: answer.status,
				message: `${profile.displayName} sent an answer that is not valid JSON`,
				description: `Expected JSON, got ${excerptOf(answer.body)}. Check the host in the credential. Gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}.`,
			},
		};
	}
	if (mayRetry && isRetryableStatus(answer.status, request.idempotent)) {
		const retryAfter = parseRetryAfter(answer.headers['retry-after']);
		return { outcome: 'retry', waitMs: retryDelayMs(attempt, settings.retry, retryAfter) };
	}
	return { outcome: 'fail', failure: failureFromAnswer(profile, answer, attempt) };
}

function judgeNetworkFault<T>(
	profile: ProviderProfile,
	request: ApiRequest,
	settings: TransportSettings,
	fault: { networkCode: string | undefined; error: unknown },
	attempt: number,
	mayRetry: boolean,
): Verdict<T> {
	if (!fault.networkCode) {
		// Neither an answer nor a network fault: e.g. the OAuth2 token request failed.
		const reason = (fault.error as Error)?.message ?? String(fault.error);
		return {
			outcome: 'fail',
			failure: {
				message: `The request to ${profile.displayName} could not be sent`,
				description: `${reason}. Check the credential.`,
			},
		};
	}
	if (mayRetry && isRetryableNetworkError(fault.networkCode, request.idempotent)) {
		return { outcome: 'retry', waitMs: retryDelayMs(attempt, settings.retry) };
	}
	return {
		outcome: 'fail',
		failure: failureFromNetwork(profile, fault.networkCode, settings, attempt),
	};
}

function looksLikeJson(bytes: Buffer): boolean {
	const first = bytes.subarray(0, 16).toString('utf8').trimStart();
	return first.startsWith('{') || first.startsWith('[');
}
