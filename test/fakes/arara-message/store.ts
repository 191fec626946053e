/** The deliveries the Arara Message fake knows, kept sorted by reservation time for fast period queries. */
import { seededRandom } from '../fake-server';

export interface StoredDelivery {
	delivery_id: string;
	status: string;
	settings: Record<string, unknown>;
	sendresult_count: { success: number; error: number };
	/** When it was reserved (the period queries filter on this), epoch ms. */
	reservedAt: number;
	/** Its send time, epoch ms on a whole minute. */
	sendAt: number;
	/** Mails in its mailing list. */
	mails: number;
}

const MINUTE = 60_000;
const JST = 9 * 3_600_000;

export function japanMinute(ms: number): string {
	return new Date(Math.floor(ms / MINUTE) * MINUTE + JST).toISOString().slice(0, 16) + '+09:00';
}

export const SEED_STATUSES = [
	'reserved',
	'processing',
	'processed',
	'sending',
	'finished',
	'finished',
	'finished',
	'failed',
	'deleted',
];

export class DeliveryStore {
	private byId = new Map<string, StoredDelivery>();
	private sorted: StoredDelivery[] = [];
	private dirty = false;
	private nextId = 1_000_001;

	get size(): number {
		return this.byId.size;
	}

	newId(): string {
		return String(this.nextId++);
	}

	add(delivery: StoredDelivery): void {
		this.byId.set(delivery.delivery_id, delivery);
		this.sorted.push(delivery);
		this.dirty = true;
	}

	get(id: string): StoredDelivery | undefined {
		return this.byId.get(id);
	}

	all(): StoredDelivery[] {
		return this.ordered().slice();
	}

	byRequestId(requestId: string): StoredDelivery[] {
		return this.ordered().filter((delivery) => delivery.settings.request_id === requestId);
	}

	/** Deliveries reserved in [fromMs, toMs), in reservation order (then id). */
	inPeriod(fromMs: number, toMs: number): StoredDelivery[] {
		const list = this.ordered();
		const start = lowerBound(list, fromMs);
		const end = lowerBound(list, toMs);
		return list.slice(start, end);
	}

	clear(): void {
		this.byId.clear();
		this.sorted = [];
		this.dirty = false;
	}

	private ordered(): StoredDelivery[] {
		if (this.dirty) {
			this.sorted.sort(
				(a, b) => a.reservedAt - b.reservedAt || (a.delivery_id < b.delivery_id ? -1 : 1),
			);
			this.dirty = false;
		}
		return this.sorted;
	}

	/**
	 * Adds `count` deliveries reserved at random times in [fromMs, toMs) (deterministic for a
	 * seed), each with a send time up to 3 days after its reservation and a random status.
	 */
	seed(count: number, fromMs: number, toMs: number, seed = 1): StoredDelivery[] {
		const random = seededRandom(seed);
		const added: StoredDelivery[] = [];
		for (let index = 0; index < count; index++) {
			const reservedAt = fromMs + Math.floor(random() * (toMs - fromMs));
			added.push(this.seedOne(reservedAt, random, index));
		}
		return added;
	}

	/** Adds `count` deliveries all reserved within the minute starting at `minuteMs`. */
	seedMinute(minuteMs: number, count: number, seed = 2): StoredDelivery[] {
		const random = seededRandom(seed);
		const added: StoredDelivery[] = [];
		for (let index = 0; index < count; index++) {
			added.push(this.seedOne(minuteMs + Math.floor(random() * MINUTE), random, index));
		}
		return added;
	}

	private seedOne(reservedAt: number, random: () => number, index: number): StoredDelivery {
		const sendAt = Math.floor((reservedAt + random() * 3 * 86_400_000) / MINUTE) * MINUTE + MINUTE;
		const status = SEED_STATUSES[Math.floor(random() * SEED_STATUSES.length)];
		const mails = 1 + Math.floor(random() * 20);
		const failed =
			status === 'failed' ? mails : status === 'finished' ? Math.floor(random() * 2) : 0;
		const delivery: StoredDelivery = {
			delivery_id: this.newId(),
			status,
			settings: {
				send_time: japanMinute(sendAt),
				...(index % 3 === 0 ? { request_id: `seed${index}r${Math.floor(random() * 1e9)}` } : {}),
				from: { name: 'Arara Shop', address: 'shop@example.jp' },
				throttle: 300,
				error_count: 0,
			},
			sendresult_count:
				status === 'finished' || status === 'failed'
					? { success: mails - failed, error: failed }
					: { success: 0, error: 0 },
			reservedAt,
			sendAt,
			mails,
		};
		this.add(delivery);
		return delivery;
	}
}

function lowerBound(list: StoredDelivery[], ms: number): number {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (list[middle].reservedAt < ms) low = middle + 1;
		else high = middle;
	}
	return low;
}
