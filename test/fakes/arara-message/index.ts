/**
 * A local Arara Message API v2 (see /work/shared/api/arara-message.md): OAuth2 client-credentials
 * token endpoint with expiring tokens, status by id / request id / period (4,000-item cap with the
 * true `total`), reservation with the documented limits, and cancellation.
 */
import { randomBytes } from 'node:crypto';

import { FakeServer, type FakeReply, type FakeRequest, type RecordedRequest } from '../fake-server';
import { checkReservation, parseJapanMinute } from './reservation';
import { DeliveryStore, japanMinute, type StoredDelivery } from './store';

export { DeliveryStore, japanMinute, type StoredDelivery } from './store';
export { parseJapanMinute } from './reservation';

export const STATUS_CAP = 4000;
export const SANDBOX_PORT = 8403;

/** Credential values that work against the fake on its sandbox port (`npm run sandbox`). */
export const SANDBOX_CREDENTIALS = {
	host: `http://127.0.0.1:${SANDBOX_PORT}`,
	clientId: 'arara-sandbox-client',
	clientSecret: 'arara-sandbox-secret-key-3f9c',
	accessTokenUrl: `http://127.0.0.1:${SANDBOX_PORT}/oauth2/token`,
} as const;

export interface AraraFakeOptions {
	port?: number;
	clientId?: string;
	clientSecret?: string;
	/** Token lifetime in seconds (default 3600, as the service). */
	tokenLifetimeSeconds?: number;
	/**
	 * How answers spell the delivery id: the documented `delivery_id`, the seed sample's
	 * `deliver_id`, or both alternately (default) so clients are tested against both.
	 */
	idSpelling?: 'delivery_id' | 'deliver_id' | 'alternate';
	/**
	 * Deliveries to seed over the last 24 hours at start, so a newcomer's first "Get Many" shows
	 * something. Default: 200 on the sandbox port, none otherwise (tests seed what they need).
	 */
	demoDeliveries?: number;
	/**
	 * The message of the 400 for a reused request_id. The real wording is unconfirmed; the
	 * default names the field, as the fake's other messages do.
	 */
	requestIdUsedMessage?: string;
}

export interface AraraFake {
	url: string;
	server: FakeServer;
	store: DeliveryStore;
	credentials: { host: string; clientId: string; clientSecret: string; accessTokenUrl: string };
	close(): Promise<void>;
	/** Adds `count` deliveries reserved in [fromMs, toMs), deterministic for a seed. */
	seed(count: number, fromMs: number, toMs: number, seed?: number): StoredDelivery[];
	/** Adds `count` deliveries reserved within one minute (to overflow the cap). */
	seedMinute(minuteMs: number, count: number, seed?: number): StoredDelivery[];
	/** Makes every issued token expired: the next API call answers 401. */
	expireTokens(): void;
	/** Token requests received. */
	tokenRequests(): RecordedRequest[];
	/** Raw request URLs (path and query string, as sent on the wire), in arrival order. */
	rawUrls: string[];
	/** API requests received (not token requests). */
	apiRequests(): RecordedRequest[];
	setStatus(deliveryId: string, status: string): void;
	setIdSpelling(spelling: NonNullable<AraraFakeOptions['idSpelling']>): void;
	/** Puts an address into the error filter (the spelling given is the one answers show). */
	setErrorFilter(
		address: string,
		count: number,
		dates?: { registered?: string; updated?: string },
	): ErrorFilterEntry;
	/** Fills the filter with `count` addresses `filtered<i>@example.com` (counts 1–99 cycling). */
	seedErrorFilter(count: number): void;
	/** Most addresses one lookup accepts before answering 413 (the documented 10,000 by default). */
	setErrorFilterLimit(limit: number): void;
	/** Lookup requests received. */
	errorFilterRequests(): RecordedRequest[];
}

export interface ErrorFilterEntry {
	address: string;
	count: number;
	registered_date: string;
	update_date: string;
}

/** The documented most addresses per lookup. */
export const ERROR_FILTER_LOOKUP_LIMIT = 10_000;

const json = (status: number, body: unknown, headers?: Record<string, string>): FakeReply => ({
	status,
	body: JSON.stringify(body),
	headers,
});
const message = (status: number, text: string) => json(status, { message: text });

export async function startAraraMessageFake(options: AraraFakeOptions = {}): Promise<AraraFake> {
	const clientId = options.clientId ?? SANDBOX_CREDENTIALS.clientId;
	const clientSecret = options.clientSecret ?? SANDBOX_CREDENTIALS.clientSecret;
	const lifetime = options.tokenLifetimeSeconds ?? 3600;
	let idSpelling = options.idSpelling ?? 'alternate';
	const tokens = new Map<string, number>();
	const store = new DeliveryStore();
	const usedRequestIds = new Set<string>();

	const present = (delivery: StoredDelivery, index: number): Record<string, unknown> => {
		const spelling =
			idSpelling === 'alternate' ? (index % 2 ? 'deliver_id' : 'delivery_id') : idSpelling;
		return {
			[spelling]: delivery.delivery_id,
			status: delivery.status,
			settings: delivery.settings,
			sendresult_count: delivery.sendresult_count,
		};
	};
	const list = (deliveries: StoredDelivery[]) => {
		const shown = deliveries.slice(0, STATUS_CAP).map(present);
		return json(200, { items: shown, count: shown.length, total: deliveries.length });
	};

	function token(request: FakeRequest): FakeReply {
		if (request.method !== 'POST') return json(405, { error: 'method_not_allowed' });
		const expected = 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
		if (request.headers.authorization !== expected) return json(400, { error: 'invalid_client' });
		const form = new URLSearchParams(request.body);
		if (form.get('grant_type') !== 'client_credentials')
			return json(400, { error: 'unsupported_grant_type' });
		const accessToken = randomBytes(24).toString('hex');
		tokens.set(accessToken, Date.now() + lifetime * 1000);
		return json(200, { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' });
	}

	function authorized(request: FakeRequest): boolean {
		const match = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''));
		const expires = match ? tokens.get(match[1]) : undefined;
		return expires !== undefined && expires > Date.now();
	}

	function getStatus(request: FakeRequest): FakeReply {
		const id = decodeURIComponent(request.path.slice('/send/'.length));
		const delivery = store.get(id);
		if (!delivery) return message(404, 'Not Found');
		return list([delivery]);
	}

	function search(request: FakeRequest): FakeReply {
		const requestId = request.query.get('request_id');
		if (requestId !== null) {
			if (!/^[a-z0-9]{1,64}$/.test(requestId)) return message(400, 'request_id is invalid');
			return list(store.byRequestId(requestId));
		}
		const timemin = request.query.get('timemin');
		const timemax = request.query.get('timemax');
		if (timemin === null || timemax === null)
			return message(400, 'timemin and timemax are required');
		const from = parseJapanMinute(timemin);
		const to = parseJapanMinute(timemax);
		// An unencoded "+" arrives as a space and fails here, as on the real service.
		if (from === undefined) return message(400, `timemin is invalid: ${timemin}`);
		if (to === undefined) return message(400, `timemax is invalid: ${timemax}`);
		if (to <= from) return message(400, 'timemax must be later than timemin');
		return list(store.inPeriod(from, to));
	}

	function reserve(request: FakeRequest): FakeReply {
		const now = Date.now();
		const checked = checkReservation(request.body, now, usedRequestIds);
		if ('error' in checked) {
			const reused = checked.error.endsWith('request_id is already used');
			return message(
				400,
				reused && options.requestIdUsedMessage !== undefined
					? options.requestIdUsedMessage
					: checked.error,
			);
		}
		const issued = checked.deliveries.map((accepted, index) => {
			const requestId = accepted.settings.request_id;
			if (typeof requestId === 'string') usedRequestIds.add(requestId);
			const delivery: StoredDelivery = {
				delivery_id: store.newId(),
				status: 'reserved',
				settings: { ...accepted.settings, send_time: japanMinute(accepted.sendAt) },
				sendresult_count: { success: 0, error: 0 },
				reservedAt: now,
				sendAt: accepted.sendAt,
				mails: accepted.mails,
			};
			store.add(delivery);
			const spelling =
				idSpelling === 'alternate' ? (index % 2 ? 'deliver_id' : 'delivery_id') : idSpelling;
			return { [spelling]: delivery.delivery_id };
		});
		const mails = checked.deliveries.reduce((sum, accepted) => sum + accepted.mails, 0);
		return json(200, { result: 'success', items: issued, count: mails });
	}

	function cancel(request: FakeRequest): FakeReply {
		const id = decodeURIComponent(request.path.slice('/send/'.length));
		const delivery = store.get(id);
		if (!delivery) return message(400, `delivery_id ${id} is invalid`);
		if (!['reserved', 'processing', 'processed'].includes(delivery.status)) {
			return message(409, `delivery ${id} cannot be cancelled (status ${delivery.status})`);
		}
		if (delivery.sendAt - Date.now() < 2 * 60_000) {
			return message(
				409,
				`delivery ${id} cannot be cancelled less than 2 minutes before its send time`,
			);
		}
		delivery.status = 'deleted';
		return json(200, { items: [{ delivery_id: id }] });
	}

	const errorFilter = new Map<string, ErrorFilterEntry>();
	let errorFilterLimit = ERROR_FILTER_LOOKUP_LIMIT;

	function lookUpErrorFilter(request: FakeRequest): FakeReply {
		if (request.method !== 'POST') return message(405, 'Method Not Allowed');
		let body: unknown;
		try {
			body = JSON.parse(request.body);
		} catch {
			return message(400, 'request body is not valid JSON');
		}
		const items = (body as { items?: unknown } | null)?.items;
		if (!Array.isArray(items) || items.length === 0) return message(400, 'items is required');
		if (items.length > errorFilterLimit) return message(413, 'Request Entity Too Large');
		const found: ErrorFilterEntry[] = [];
		for (const item of items as unknown[]) {
			const address = (item as { address?: unknown } | null)?.address;
			if (typeof address !== 'string' || address === '')
				return message(400, 'items[].address is required');
			// ASSUMPTION: the service matches addresses case-insensitively and answers with its own spelling.
			const entry = errorFilter.get(address.toLowerCase());
			if (entry) found.push(entry);
		}
		return json(200, { items: found, count: found.length });
	}

	const rawUrls: string[] = [];
	const server = new FakeServer((request) => {
		rawUrls.push(request.url);
		if (request.path === '/oauth2/token') return token(request);
		if (request.path === '/errorfilter') {
			if (!authorized(request)) return message(401, 'Unauthorized');
			return lookUpErrorFilter(request);
		}
		if (request.path === '/send' || request.path.startsWith('/send/')) {
			if (!authorized(request)) return message(401, 'Unauthorized');
			if (request.path === '/send') {
				if (request.method === 'GET') return search(request);
				if (request.method === 'POST') return reserve(request);
				return message(405, 'Method Not Allowed');
			}
			if (request.method === 'GET') return getStatus(request);
			if (request.method === 'DELETE') return cancel(request);
			return message(405, 'Method Not Allowed');
		}
		return message(404, 'Not Found');
	});
	await server.start(options.port ?? 0);
	const demo = options.demoDeliveries ?? (options.port === SANDBOX_PORT ? 200 : 0);
	if (demo > 0) store.seed(demo, Date.now() - 86_400_000, Date.now() - 60_000, 2024);

	return {
		url: server.url,
		server,
		store,
		credentials: {
			host: server.url,
			clientId,
			clientSecret,
			accessTokenUrl: `${server.url}/oauth2/token`,
		},
		close: async () => await server.close(),
		seed: (count, fromMs, toMs, seed) => store.seed(count, fromMs, toMs, seed),
		seedMinute: (minuteMs, count, seed) => store.seedMinute(minuteMs, count, seed),
		expireTokens: () => {
			for (const key of tokens.keys()) tokens.set(key, 0);
		},
		rawUrls,
		tokenRequests: () => server.requestsTo('/oauth2/token'),
		apiRequests: () => server.requestsTo('/send'),
		setStatus: (deliveryId, status) => {
			const delivery = store.get(deliveryId);
			if (!delivery) throw new Error(`no delivery ${deliveryId}`);
			delivery.status = status;
		},
		setIdSpelling: (spelling) => {
			idSpelling = spelling;
		},
		setErrorFilter: (address, count, dates = {}) => {
			const entry: ErrorFilterEntry = {
				address,
				count,
				registered_date: dates.registered ?? '2024-04-01 09:00:00',
				update_date: dates.updated ?? '2024-05-01 09:00:00',
			};
			errorFilter.set(address.toLowerCase(), entry);
			return entry;
		},
		seedErrorFilter: (count) => {
			for (let index = 0; index < count; index++) {
				const address = `filtered${index}@example.com`;
				errorFilter.set(address, {
					address,
					count: 1 + (index % 99),
					registered_date: '2024-04-01 09:00:00',
					update_date: '2024-05-01 09:00:00',
				});
			}
		},
		setErrorFilterLimit: (limit) => {
			errorFilterLimit = limit;
		},
		errorFilterRequests: () => server.requestsTo('/errorfilter'),
	};
}
