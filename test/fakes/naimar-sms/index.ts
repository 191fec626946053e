/**
 * A local Naimar SMS gateway (API v6, deliveryJSON) following ../../../../shared/api/naimar-sms.md:
 * POST <base>/rest/delivery/json/ with the login and ids in a JSON body; answers in shuffled order,
 * leaves out ids it does not know, optionally adds an id nobody asked for (as the document's own
 * example does), and can answer errors with the document's invalid-JSON sample body.
 */
import { FakeServer, seededRandom, type FakeReply, type FakeRequest } from '../fake-server';

export const SANDBOX_PORT = 8402;
export const API_PREFIX = '/api/v6';
export const DELIVERY_PATH = `${API_PREFIX}/rest/delivery/json/`;

/** Credential values that work against the sandbox fake (`npm run sandbox` / `npm start`). */
export const SANDBOX_CREDENTIALS = {
	username: 'sandbox',
	password: 'sandbox-pass-42',
	baseUrl: `http://127.0.0.1:${SANDBOX_PORT}${API_PREFIX}`,
} as const;

/** The id the document's example answers with although nobody asked for it. */
export const UNASKED_ID = '45678912345678';

export const KNOWN_STATUSES = [
	'delivered',
	'undeliverable',
	'waiting',
	'expired',
	'rejected',
] as const;

export interface SeededReport {
	status: string;
	received: string;
	/** With finalAfter: the status the report turns to once it was asked for that many times. */
	finalStatus?: string;
	finalAfter?: number;
	/** How many requests have asked for it so far. */
	asked: number;
}

export interface NaimarSmsFakeOptions {
	port?: number;
	username?: string;
	password?: string;
	/** Seed the ids of the document's example (default true). */
	seedExamples?: boolean;
	/** Seed for the shuffled answer order. */
	seed?: number;
}

export interface NaimarSmsSwitches {
	/** Answer in a shuffled order (default true). */
	shuffle: boolean;
	/** Add the document's unasked id 45678912345678 to every answer (default false). */
	extraId: boolean;
	/** Error bodies with the document's trailing comma, i.e. invalid JSON (default false). */
	invalidJsonErrors: boolean;
}

const pad = (value: number) => String(value).padStart(2, '0');
function timestamp(date: Date): string {
	return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

export class NaimarSmsFake {
	readonly server: FakeServer;
	readonly reports = new Map<string, SeededReport>();
	readonly switches: NaimarSmsSwitches = {
		shuffle: true,
		extraId: false,
		invalidJsonErrors: false,
	};
	readonly username: string;
	readonly password: string;
	/** Ids whose presence in a request makes the whole request fail with this error. */
	private readonly poison = new Map<string, { status: number; description: string }>();
	private readonly random: () => number;

	constructor(options: NaimarSmsFakeOptions = {}) {
		this.username = options.username ?? SANDBOX_CREDENTIALS.username;
		this.password = options.password ?? SANDBOX_CREDENTIALS.password;
		this.random = seededRandom(options.seed ?? 2012);
		this.server = new FakeServer((request) => this.handle(request));
		if (options.seedExamples !== false) {
			this.setReport('abcdefghijklab', 'delivered', { received: '2012-09-05 22:59:00' });
			this.setReport(UNASKED_ID, 'undeliverable', { received: '2012-09-05 22:59:00' });
			this.setReport('0qwedf5e8e8r7w', 'waiting', {
				received: '2012-09-05 23:59:00',
				finalStatus: 'delivered',
				finalAfter: 3,
			});
		}
	}

	get url(): string {
		return this.server.url;
	}

	/** The Base URL a credential uses for this fake. */
	get baseUrl(): string {
		return `${this.server.url}${API_PREFIX}`;
	}

	/** Credential data that logs in to this fake. */
	get credentials() {
		return { username: this.username, password: this.password, baseUrl: this.baseUrl };
	}

	async close(): Promise<void> {
		await this.server.close();
	}

	/** Seeds (or replaces) one report. With finalAfter, it reads `status` until asked that many times. */
	setReport(
		id: string,
		status: string,
		options: { received?: string; finalStatus?: string; finalAfter?: number } = {},
	): void {
		this.reports.set(id, {
			status,
			received: options.received ?? timestamp(new Date(Date.UTC(2024, 0, 1, 12, 0, 0))),
			finalStatus: options.finalStatus,
			finalAfter: options.finalAfter,
			asked: 0,
		});
	}

	/**
	 * Seeds `count` reports with ids `<prefix><number>` (14 characters), statuses drawn
	 * deterministically from `statuses`; returns the ids in order.
	 */
	seedReports(
		count: number,
		options: { prefix?: string; statuses?: readonly string[]; seed?: number } = {},
	): string[] {
		const prefix = options.prefix ?? 'N';
		const statuses = options.statuses ?? KNOWN_STATUSES.filter((status) => status !== 'waiting');
		const random = seededRandom(options.seed ?? count);
		const start = Date.UTC(2024, 0, 1);
		const ids: string[] = [];
		for (let index = 0; index < count; index++) {
			const id = `${prefix}${String(index).padStart(14 - prefix.length, '0')}`;
			const status = statuses[Math.floor(random() * statuses.length)];
			this.reports.set(id, {
				status,
				received: timestamp(new Date(start + index * 1000)),
				asked: 0,
			});
			ids.push(id);
		}
		return ids;
	}

	/** Any request that asks for `id` fails with this error (to fail one batch among many). */
	failOn(id: string, status = 500, description = 'unknown error'): void {
		this.poison.set(id, { status, description });
	}

	/** How many requests have asked for `id`. */
	timesAsked(id: string): number {
		return this.reports.get(id)?.asked ?? 0;
	}

	/** The ids each delivery request asked for, in request order. */
	askedIds(): string[][] {
		return this.server.requestsTo(DELIVERY_PATH).flatMap((request) => {
			try {
				const body = JSON.parse(request.body) as { deliveries?: Array<{ id?: unknown }> };
				return [(body.deliveries ?? []).map((entry) => String(entry.id))];
			} catch {
				return [];
			}
		});
	}

	private error(status: number, description: string): FakeReply {
		const body = this.switches.invalidJsonErrors
			? `{ "response": { "status": ${status}, "description": "${description}", } }`
			: JSON.stringify({ response: { status, description } });
		return { status, body };
	}

	private handle(request: FakeRequest): FakeReply {
		if (request.path !== DELIVERY_PATH && request.path !== DELIVERY_PATH.slice(0, -1)) {
			return this.error(404, 'not found');
		}
		if (request.method !== 'POST') return this.error(405, 'method not allowed');
		let body: unknown;
		try {
			body = JSON.parse(request.body);
		} catch {
			return this.error(400, 'missing parameter');
		}
		if (body === null || typeof body !== 'object' || Array.isArray(body))
			return this.error(400, 'missing parameter');
		const { username, password, deliveries } = body as Record<string, unknown>;
		if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
			return this.error(400, 'missing parameter');
		}
		if (username !== this.username || password !== this.password)
			return this.error(401, 'unknown username/password');
		if (!Array.isArray(deliveries)) return this.error(400, 'missing parameter');

		const ids: string[] = [];
		for (const entry of deliveries) {
			const id = (entry as { id?: unknown } | null)?.id;
			if (typeof id === 'string' || typeof id === 'number') ids.push(String(id));
		}
		for (const id of ids) {
			const failure = this.poison.get(id);
			if (failure) return this.error(failure.status, failure.description);
		}

		const delivery: Array<{ id: string; received: string; status: string }> = [];
		for (const id of new Set(ids)) {
			const report = id.length <= 14 ? this.reports.get(id) : undefined;
			if (!report) continue;
			report.asked += 1;
			if (
				report.finalAfter !== undefined &&
				report.finalStatus &&
				report.asked > report.finalAfter
			) {
				report.status = report.finalStatus;
				report.received = timestamp(new Date());
			}
			delivery.push({ id, received: report.received, status: report.status });
		}
		if (this.switches.extraId && !ids.includes(UNASKED_ID)) {
			delivery.push({ id: UNASKED_ID, received: '2012-09-05 22:59:00', status: 'undeliverable' });
		}
		if (this.switches.shuffle) {
			for (let index = delivery.length - 1; index > 0; index--) {
				const other = Math.floor(this.random() * (index + 1));
				[delivery[index], delivery[other]] = [delivery[other], delivery[index]];
			}
		}
		return { status: 200, body: JSON.stringify({ delivery }) };
	}
}

/** Starts a fake gateway on 127.0.0.1 (a free port unless one is given). */
export async function startNaimarSmsFake(
	options: NaimarSmsFakeOptions = {},
): Promise<NaimarSmsFake> {
	const fake = new NaimarSmsFake(options);
	await fake.server.start(options.port ?? 0);
	return fake;
}
