import { mergeDeliveries } from '../../../nodes/AraraMessage/helpers/period';

const at = (id: string | undefined, sendTime: string | undefined, status = 'reserved') => ({
	...(id === undefined ? {} : { delivery_id: id }),
	status,
	settings: sendTime === undefined ? {} : { send_time: sendTime },
});

const ids = (deliveries: Array<{ delivery_id?: unknown }>) =>
	deliveries.map((delivery) => delivery.delivery_id ?? '-');

describe('mergeDeliveries (windows of a period joined into one list)', () => {
	it('keeps deliveries already in send-time order as they are', () => {
		const list = [
			at('a', '2026-11-01 09:00'),
			at('b', '2026-11-01 09:00'),
			at('c', '2026-11-01 09:01'),
		];
		expect(ids(mergeDeliveries(list))).toEqual(['a', 'b', 'c']);
	});

	it('sorts by send time, then by id, when the answers are out of order', () => {
		const list = [
			at('c', '2026-11-01 09:02'),
			at('b', '2026-11-01 09:00'),
			at('a', '2026-11-01 09:00'),
			at('d', '2026-11-01 09:01'),
		];
		expect(ids(mergeDeliveries(list))).toEqual(['a', 'b', 'd', 'c']);
	});

	it('gives a delivery two windows both returned once, as the later window saw it', () => {
		const list = [
			at('a', '2026-11-01 09:00'),
			at('b', '2026-11-01 09:05', 'reserved'),
			at('b', '2026-11-01 09:05', 'sending'),
			at('c', '2026-11-01 09:06'),
		];
		const merged = mergeDeliveries(list);
		expect(ids(merged)).toEqual(['a', 'b', 'c']);
		expect(merged[1].status).toBe('sending');
	});

	it('keeps every delivery without an id, and puts those without a send time last', () => {
		const list = [at(undefined, undefined), at('b', '2026-11-01 09:00'), at(undefined, undefined)];
		expect(ids(mergeDeliveries(list))).toEqual(['b', '-', '-']);
	});
});
