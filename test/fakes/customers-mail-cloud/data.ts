/** Deterministic block data of any size for the Customers Mail Cloud fake. */
import { seededRandom } from '../fake-server';

export interface FakeBlock {
	created: string;
	email: string;
	id: string;
	occurred: string;
	status: string;
}

const STATUSES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '99'];
const DOMAINS = ['example.com', 'example.jp', 'mail.example.net', 'corp.example.org'];

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

export function formatCreated(date: Date): string {
	return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(
		date.getUTCMinutes(),
	)}:${pad(date.getUTCSeconds())}`;
}

export interface GenerateOptions {
	/** PRNG seed: the same seed gives the same blocks. */
	seed?: number;
	/** `created` of the first block; later blocks follow in time order. */
	from?: Date;
	/** Average seconds between two blocks (default: spread over about a year for 100,000). */
	spacingSeconds?: number;
	/** Prefix for ids and addresses, so several seeded sets never collide. */
	prefix?: string;
}

/** `count` blocks in `created` order, the same every run for the same options. */
export function generateBlocks(count: number, options: GenerateOptions = {}): FakeBlock[] {
	const random = seededRandom(options.seed ?? 1);
	const spacing = options.spacingSeconds ?? 300;
	const prefix = options.prefix ?? 'b';
	let time = (options.from ?? new Date('2024-01-01T00:00:00Z')).getTime();
	const blocks = new Array<FakeBlock>(count);
	for (let index = 0; index < count; index++) {
		time += Math.floor(random() * spacing * 2) * 1000;
		blocks[index] = {
			created: formatCreated(new Date(time)),
			email: `user${index}.${prefix}@${DOMAINS[index % DOMAINS.length]}`,
			id: `cp${prefix}${index.toString(36).padStart(7, '0')}`,
			occurred: String(1 + Math.floor(random() * 5)),
			status: STATUSES[Math.floor(random() * STATUSES.length)],
		};
	}
	return blocks;
}

/** CSV text of blocks in the download's column order, in chunks of `rowsPerChunk` rows. */
export function* csvChunks(blocks: Iterable<FakeBlock>, rowsPerChunk = 2000): Generator<string> {
	const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
	let chunk = '"created","id","email","status","occurred"\r\n';
	let rows = 0;
	for (const block of blocks) {
		chunk +=
			[block.created, block.id, block.email, block.status, block.occurred].map(quote).join(',') +
			'\r\n';
		if (++rows === rowsPerChunk) {
			yield chunk;
			chunk = '';
			rows = 0;
		}
	}
	if (chunk) yield chunk;
}
