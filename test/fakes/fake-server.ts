/**
 * What every provider fake shares: an HTTP server on 127.0.0.1, a request log, and faults that a
 * test queues for the next matching requests (the faults real services show).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
	/** 429 with a Retry-After header (seconds) and the given body. */
	| { kind: 'rateLimit'; retryAfterSeconds?: number; retryAfterDate?: boolean; body?: string }
	/** An HTTP error status with a body (JSON text, HTML page, anything). */
	| { kind: 'status'; status: number; body?: string; contentType?: string }
	/** 200 with a body that is not valid JSON. */
	| { kind: 'invalidJson'; body?: string }
	/** 200 with an HTML page, as a misrouted proxy would answer. */
	| { kind: 'html'; status?: number }
	/** Waits this long before answering normally (use past the client's timeout). */
	| { kind: 'delay'; ms: number }
	/** Sends headers and part of the body, then destroys the socket. */
	| { kind: 'dropMidBody' }
	/** Destroys the socket before any answer. */
	| { kind: 'dropConnection' };

export interface QueuedFault {
	fault: Fault;
	/** Only requests whose path starts with this are affected (default: any). */
	pathPrefix?: string;
	/** How many matching requests it affects (default 1). */
	times: number;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	body: string;
	/** Fault applied to this request, if any. */
	fault?: Fault['kind'];
	at: number;
}

export interface FakeRequest extends RecordedRequest {
	/** The raw URL path with the query string. */
	url: string;
}

export interface FakeReply {
	status: number;
	headers?: Record<string, string>;
	body?: string | Buffer;
}

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export const HTML_ERROR_PAGE =
	'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server is unavailable.</p></body></html>';

export class FakeServer {
	readonly requests: RecordedRequest[] = [];
	private readonly faults: QueuedFault[] = [];
	private server?: Server;
	url = '';
	/** Requests being answered right now, and the most seen at once. */
	inFlight = 0;
	maxInFlight = 0;

	constructor(private readonly handler: FakeHandler) {}

	async start(port = 0): Promise<this> {
		this.server = createServer((req, res) => void this.serve(req, res));
		this.server.keepAliveTimeout = 5_000;
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', () => resolve());
		});
		const { port: actual } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${actual}`;
		return this;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	/** Queues a fault for the next `times` requests whose path starts with `pathPrefix`. */
	inject(fault: Fault, options: { pathPrefix?: string; times?: number } = {}): void {
		this.faults.push({ fault, pathPrefix: options.pathPrefix, times: options.times ?? 1 });
	}

	/**
	 * Closes the kept-alive connections no request is using, so a client does not reuse one just
	 * as the server times it out (an ECONNRESET no fault asked for).
	 */
	closeIdleConnections(): void {
		this.server?.closeIdleConnections();
	}

	clearFaults(): void {
		this.faults.length = 0;
	}

	resetLog(): void {
		this.requests.length = 0;
		this.maxInFlight = 0;
	}

	/** Requests whose path starts with the prefix (defaults to all). */
	requestsTo(pathPrefix = '/'): RecordedRequest[] {
		return this.requests.filter((request) => request.path.startsWith(pathPrefix));
	}

	private takeFault(path: string): Fault | undefined {
		const index = this.faults.findIndex(
			(entry) => !entry.pathPrefix || path.startsWith(entry.pathPrefix),
		);
		if (index < 0) return undefined;
		const entry = this.faults[index];
		entry.times -= 1;
		if (entry.times <= 0) this.faults.splice(index, 1);
		return entry.fault;
	}

	private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const url = new URL(req.url ?? '/', 'http://fake');
		const request: FakeRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body: Buffer.concat(chunks).toString('utf8'),
			at: Date.now(),
			url: req.url ?? '/',
		};
		const fault = this.takeFault(request.path);
		const { url: _url, ...record } = request;
		this.requests.push({ ...record, fault: fault?.kind });
		this.inFlight += 1;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			if (fault && (await this.applyFault(fault, res))) return;
			const reply = await this.handler(request);
			const body = reply.body ?? '';
			res.writeHead(reply.status, {
				'content-type': 'application/json; charset=utf-8',
				'content-length': String(Buffer.byteLength(body)),
				...reply.headers,
			});
			res.end(body);
		} catch (error) {
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(`fake failed: ${(error as Error).message}`);
		} finally {
			this.inFlight -= 1;
		}
	}

	/** Answers with the fault; returns false when the request should then be handled normally. */
	private async applyFault(fault: Fault, res: ServerResponse): Promise<boolean> {
		switch (fault.kind) {
			case 'rateLimit': {
				const seconds = fault.retryAfterSeconds ?? 1;
				const retryAfter = fault.retryAfterDate
					? new Date(Date.now() + seconds * 1000).toUTCString()
					: String(seconds);
				res.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter });
				res.end(fault.body ?? '{"message":"Too Many Requests"}');
				return true;
			}
			case 'status':
				res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json' });
				res.end(fault.body ?? '');
				return true;
			case 'invalidJson':
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(fault.body ?? '{"unterminated": ');
				return true;
			case 'html':
				res.writeHead(fault.status ?? 502, { 'content-type': 'text/html' });
				res.end(HTML_ERROR_PAGE);
				return true;
			case 'delay':
				await new Promise((resolve) => setTimeout(resolve, fault.ms));
				return false;
			case 'dropMidBody':
				res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
				res.write('{"partial":');
				await new Promise((resolve) => setTimeout(resolve, 20));
				res.socket?.destroy();
				return true;
			case 'dropConnection':
				res.socket?.destroy();
				return true;
		}
	}
}

/** Reads a form-urlencoded or JSON request body into an object. */
export function parseBody(request: RecordedRequest): Record<string, unknown> {
	const type = String(request.headers['content-type'] ?? '');
	if (!request.body) return {};
	if (type.includes('application/json')) {
		return JSON.parse(request.body) as Record<string, unknown>;
	}
	return Object.fromEntries(new URLSearchParams(request.body));
}

/** A small seeded PRNG so fakes generate the same data set every run. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
