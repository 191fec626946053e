/**
 * What the trigger remembers between polls, and how it decides what is new. Pure functions over
 * the blocks one poll fetched, so they are tested without a server.
 *
 * - New blocks: the API can filter by the day a block started, so each poll reads only from the
 *   day before the newest block seen (one day of overlap for late writes and time zones) and
 *   remembers the ids in that window: memory stays the size of about two days of blocks.
 * - Lifted blocks: the removed list has no date of removal, so each poll reads the whole list
 *   and remembers its ids.
 *
 * An entry is known by its id and its start (`created`), so an address blocked again, and lifted
 * again, counts as new even if the API gave it the same id. The trigger stores the next state only
 * when a poll emits (n8n saves static data only then): what it resumes from after a restart is
 * always what it had in memory.
 */
import type { IDataObject } from 'n8n-workflow';

import { addDays } from '../../shared/dateTime';

export type WatchEvent = 'newBlock' | 'blockRemoved';

export interface WatchState {
	/** Parameters the state belongs to: when they change, the trigger starts over. */
	key: string;
	/** newBlock and the mail events: the first day the next poll reads. */
	windowStart?: string;
	/**
	 * Entries already seen: id → `created`. States saved by earlier versions hold the day
	 * (newBlock) or '' (blockRemoved) instead: such an entry counts as seen for that day, or at all.
	 */
	seen: Record<string, string>;
}

/**
 * How one trigger event reads the provider and tells what is new. The trigger's poll drives every
 * event through this one shape, so pacing, first runs and saving the state work alike for all.
 */
export interface EventWatcher {
	/** The state a first poll starts from (that poll only records what is there). */
	initialState(key: string): WatchState;
	/** What one poll compares against the state. */
	read(state: WatchState): Promise<IDataObject[]>;
	/** The records not emitted before, and the state after this poll. */
	diff(state: WatchState, records: IDataObject[]): { fresh: IDataObject[]; next: WatchState };
	/** "Fetch Test Event": one recent record, read without any state. */
	sample(): Promise<IDataObject | undefined>;
	/** A record as the item's fields (after `event`). */
	toItem(record: IDataObject): IDataObject;
}

export function dayOf(block: IDataObject): string {
	return String(block.created ?? '').slice(0, 10);
}

/** Where a first poll starts: the day before today in UTC (the provider's clock is ahead of UTC or on it). */
export function initialWindowStart(now: Date): string {
	return addDays(now.toISOString().slice(0, 10), -1);
}

/** Splits one poll's blocks into the new ones and the next state. */
export function diffBlocks(
	event: WatchEvent,
	state: WatchState,
	blocks: IDataObject[],
): { fresh: IDataObject[]; next: WatchState } {
	const isSeen = (block: IDataObject) => {
		const known = state.seen[String(block.id)];
		if (known === undefined) return false;
		return (
			known === String(block.created ?? '') ||
			known === '' ||
			(known.length === 10 && known === dayOf(block))
		);
	};
	const fresh = blocks.filter((block) => !isSeen(block));
	if (event === 'blockRemoved') {
		const seen: Record<string, string> = {};
		for (const block of blocks) seen[String(block.id)] = String(block.created ?? '');
		return { fresh, next: { key: state.key, seen } };
	}
	let newestDay = '';
	for (const block of blocks) if (dayOf(block) > newestDay) newestDay = dayOf(block);
	const windowStart =
		[state.windowStart ?? '', newestDay ? addDays(newestDay, -1) : ''].sort().pop() || undefined;
	const seen: Record<string, string> = {};
	for (const block of blocks) {
		if (!windowStart || dayOf(block) >= windowStart)
			seen[String(block.id)] = String(block.created ?? '');
	}
	return { fresh: sortByCreated(fresh), next: { key: state.key, windowStart, seen } };
}

/** Oldest first; blocks with the same time keep the API's order. */
export function sortByCreated(blocks: IDataObject[]): IDataObject[] {
	return blocks
		.map((block, index) => ({ block, index }))
		.sort(
			(a, b) => String(a.block.created).localeCompare(String(b.block.created)) || a.index - b.index,
		)
		.map(({ block }) => block);
}

/** The block a "Fetch Test Event" shows: the newest by start time (the last listed among equals). */
export function newestBlock(blocks: IDataObject[]): IDataObject | undefined {
	const sorted = sortByCreated(blocks);
	return sorted[sorted.length - 1];
}
