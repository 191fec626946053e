/**
 * Deterministic delivery and bounce records for the Customers Mail Cloud fake, with the fields
 * the spec gives (Deliveries: the Event Webhook's deliveries fields; Bounces: the PHP SDK's).
 */
import { seededRandom } from '../fake-server';
import { formatCreated } from './data';

export interface FakeDelivery {
	created: string;
	returnPath: string;
	from: string;
	to: string;
	messageId: string;
	reason: string;
	senderIp: string;
	sourceIp: string;
	status: string;
	subject: string;
	apiData: string;
}

export interface FakeBounce {
	created: string;
	status: string;
	from: string;
	to: string;
	messageId: string;
	returnPath: string;
	subject: string;
	apiData: string;
	reason: string;
}

const DOMAINS = ['example.com', 'example.jp', 'mail.example.net', 'corp.example.org'];
const BOUNCE_STATUSES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '99'];

export interface MailGenerateOptions {
	seed?: number;
	/** `created` of the first mail; later mails follow in time order. */
	from?: Date;
	/** Average seconds between two mails. */
	spacingSeconds?: number;
	prefix?: string;
}

/**
 * Records for `mails` mails: each is first queued, then (one second later) succeeded, or failed,
 * or deferred and then succeeded. Returned in `created` order, as the service lists them.
 */
export function generateDeliveries(
	mails: number,
	options: MailGenerateOptions = {},
): FakeDelivery[] {
	const random = seededRandom(options.seed ?? 3);
	const spacing = options.spacingSeconds ?? 60;
	const prefix = options.prefix ?? 'm';
	let time = (options.from ?? new Date('2024-05-01T00:00:00Z')).getTime();
	const records: FakeDelivery[] = [];
	for (let index = 0; index < mails; index++) {
		time += Math.floor(random() * spacing * 2) * 1000;
		const base = {
			returnPath: `bounce@return.${prefix}.example.com`,
			from: `info${index % 3}@${prefix}.example.com`,
			to: `user${index}.${prefix}@${DOMAINS[index % DOMAINS.length]}`,
			messageId: `<${prefix}-${index.toString(36)}@node1>`,
			subject: `sample email #${index}`,
			apiData: index % 5 === 0 ? '' : `CMC${String(index % 1000).padStart(5, '0')}`,
		};
		records.push({
			...base,
			created: formatCreated(new Date(time)),
			reason: '',
			senderIp: '',
			sourceIp: '10.0.24.10',
			status: 'queued',
		});
		const roll = random();
		const next = (offset: number, status: string, reason: string) =>
			records.push({
				...base,
				created: formatCreated(new Date(time + offset)),
				reason,
				senderIp: '192.0.2.25',
				sourceIp: '',
				status,
			});
		if (roll < 0.8) next(1000, 'succeeded', '');
		else if (roll < 0.9) next(1000, 'failed', '550 5.1.1 User unknown');
		else {
			next(1000, 'deferred', '421 4.7.0 Try again later');
			next(
				2000,
				random() < 0.5 ? 'succeeded' : 'failed',
				random() < 0.5 ? '' : '554 5.7.1 Rejected',
			);
		}
	}
	return records.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));
}

export function generateBounces(count: number, options: MailGenerateOptions = {}): FakeBounce[] {
	const random = seededRandom(options.seed ?? 5);
	const spacing = options.spacingSeconds ?? 600;
	const prefix = options.prefix ?? 'x';
	let time = (options.from ?? new Date('2024-05-01T00:00:00Z')).getTime();
	const bounces: FakeBounce[] = [];
	for (let index = 0; index < count; index++) {
		time += Math.floor(random() * spacing * 2) * 1000;
		const status = BOUNCE_STATUSES[Math.floor(random() * BOUNCE_STATUSES.length)];
		bounces.push({
			created: formatCreated(new Date(time)),
			status,
			from: `info@${prefix}.example.com`,
			to: `bounced${index}.${prefix}@${DOMAINS[index % DOMAINS.length]}`,
			messageId: `<${prefix}-b${index.toString(36)}@node1>`,
			returnPath: `bounce@return.${prefix}.example.com`,
			subject: `sample email #${index}`,
			apiData: index % 4 === 0 ? '' : `CMC${String(index % 1000).padStart(5, '0')}`,
			reason: status === '2' ? '550 5.1.1 User unknown' : `error status ${status}`,
		});
	}
	return bounces;
}

/**
 * CSV of bounces for the download. The column order is not documented: this one differs from
 * the list's field order on purpose, so a reader must go by the header row.
 */
export const BOUNCE_CSV_COLUMNS: Array<keyof FakeBounce> = [
	'created',
	'to',
	'from',
	'status',
	'reason',
	'messageId',
	'returnPath',
	'subject',
	'apiData',
];

export function* bounceCsvChunks(
	bounces: Iterable<FakeBounce>,
	rowsPerChunk = 2000,
): Generator<string> {
	const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
	let chunk = BOUNCE_CSV_COLUMNS.map(quote).join(',') + '\r\n';
	let rows = 0;
	for (const bounce of bounces) {
		chunk += BOUNCE_CSV_COLUMNS.map((column) => quote(bounce[column])).join(',') + '\r\n';
		if (++rows === rowsPerChunk) {
			yield chunk;
			chunk = '';
			rows = 0;
		}
	}
	if (chunk) yield chunk;
}
