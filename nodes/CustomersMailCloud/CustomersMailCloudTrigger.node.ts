import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsCollection, readTriggerOptions } from '../shared/description/options';
import { fetchPagesUntilShort } from '../shared/transport/paging';
import type { TransportSettings } from '../shared/transport/request';
import { emailContainsFilter, readEmailContains } from './actions/block/filters';
import {
	readWatchedServerComposition,
	watchedServerCompositionField,
} from './actions/block/serverComposition';
import { toBlockItem } from './helpers/blockStatus';
import { filtersCollection } from './helpers/filters';
import type { EventWatcher, WatchEvent, WatchState } from './helpers/blockWatch';
import { diffBlocks, initialWindowStart, newestBlock } from './helpers/blockWatch';
import { addDays } from '../shared/dateTime';
import type { MailWatchEvent } from './helpers/mailWatch';
import { MAIL_WATCH_EVENTS, mailWatcher } from './helpers/mailWatch';
import type { PacingState } from './helpers/pollPacing';
import { isTooSoon, minPollIntervalMs, minPollIntervalOption } from './helpers/pollPacing';
import type { BlockFilters } from './transport/blocks';
import { MAX_PAGE_SIZE, blocksApi } from './transport/blocks';

async function listAll(
	ctx: IPollFunctions,
	serverComposition: string,
	filters: BlockFilters,
	settings: TransportSettings,
	concurrency: number,
): Promise<IDataObject[]> {
	const pages = await fetchPagesUntilShort(
		{ pageSize: MAX_PAGE_SIZE, concurrency },
		async (page) =>
			await blocksApi(ctx, { settings }, serverComposition).listPage(filters, page, MAX_PAGE_SIZE),
	);
	return pages.flat();
}

/**
 * "Fetch Test Event": one entry to show what the trigger emits, from one page per request, never
 * the whole list. New Block tries recent days first (at most three requests); Block Removed has no
 * removal date to narrow by and shows the last entry of the first page.
 */
async function sampleForTest(
	ctx: IPollFunctions,
	event: WatchEvent,
	serverComposition: string,
	base: BlockFilters,
	settings: TransportSettings,
): Promise<IDataObject | undefined> {
	const api = blocksApi(ctx, { settings }, serverComposition);
	const firstPage = async (filters: BlockFilters) => await api.listPage(filters, 0, MAX_PAGE_SIZE);
	if (event === 'blockRemoved') {
		const removed = await firstPage(base);
		return removed[removed.length - 1];
	}
	const today = new Date().toISOString().slice(0, 10);
	for (const startDate of [addDays(today, -1), addDays(today, -30), undefined]) {
		const newest = newestBlock(await firstPage({ ...base, startDate }));
		if (newest) return newest;
	}
	return undefined;
}

interface BlockWatchQuery {
	serverComposition: string;
	email?: string;
	settings: TransportSettings;
	concurrency: number;
}

/** A block event as the trigger's poll drives it, for one poll at `now`. */
function blockWatcher(
	ctx: IPollFunctions,
	event: WatchEvent,
	query: BlockWatchQuery,
	now: Date,
): EventWatcher {
	const { serverComposition, settings, concurrency } = query;
	const base: BlockFilters = {
		email: query.email,
		removed: event === 'blockRemoved' ? true : undefined,
	};
	return {
		initialState: (key) => ({
			key,
			seen: {},
			windowStart: event === 'newBlock' ? initialWindowStart(now) : undefined,
		}),
		read: async (state) =>
			await listAll(
				ctx,
				serverComposition,
				event === 'newBlock' ? { ...base, startDate: state.windowStart } : base,
				settings,
				concurrency,
			),
		diff: (state, blocks) => diffBlocks(event, state, blocks),
		sample: async () => await sampleForTest(ctx, event, serverComposition, base, settings),
		toItem: toBlockItem,
	};
}

export class CustomersMailCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Customers Mail Cloud Trigger',
		name: 'customersMailCloudTrigger',
		icon: { light: 'file:customersMailCloud.svg', dark: 'file:customersMailCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow when an address is blocked or unblocked, a mail bounces, or a delivery fails, in Customers Mail Cloud',
		defaults: { name: 'Customers Mail Cloud Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'customersMailCloudApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: [
					{
						name: 'New Block',
						value: 'newBlock',
						description: 'An address was blocked after send errors',
					},
					{
						name: 'Block Removed',
						value: 'blockRemoved',
						description:
							'The block on an address was lifted (it reads the whole list of lifted blocks on every poll that is not skipped)',
					},
					{
						name: 'New Bounce',
						value: 'newBounce',
						description: 'A mail caused a sending error (for accounts without the Event Webhook)',
					},
					{
						name: 'Delivery Failed',
						value: 'deliveryFailed',
						description: 'A mail failed or was deferred (for accounts without the Event Webhook)',
					},
				],
				default: 'newBlock',
			},
			watchedServerCompositionField,
			filtersCollection([emailContainsFilter]),
			optionsCollection({ withConcurrency: false, own: [minPollIntervalOption] }),
			{
				displayName:
					'The first poll only records what is already there; later polls emit each new entry once, also across restarts of n8n. The provider asks to poll rarely (about once a day): polls sooner than Options → Minimum Poll Interval (default 1 hour) after the last one are skipped.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'newBlock') as WatchEvent | MailWatchEvent;
		const filters = (this.getNodeParameter('filters', {}) ?? {}) as IDataObject;
		const { options, settings, concurrency } = readTriggerOptions(this);
		const serverComposition = await readWatchedServerComposition(this);
		const email = readEmailContains(this, filters);
		const nowMs = Date.now();
		// Email Contains matches the blocked address, or the mail's recipient.
		const watcher = MAIL_WATCH_EVENTS.includes(event)
			? mailWatcher(
					this,
					event as MailWatchEvent,
					{ serverComposition, to: email, settings, concurrency },
					new Date(nowMs),
				)
			: blockWatcher(
					this,
					event as WatchEvent,
					{ serverComposition, email, settings, concurrency },
					new Date(nowMs),
				);
		const emit = (records: IDataObject[]) => [
			records.map((record) => ({ json: { event, ...watcher.toItem(record) } })),
		];

		if (this.getMode() === 'manual') {
			const sample = await watcher.sample();
			return sample ? emit([sample]) : null;
		}

		const staticData = this.getWorkflowStaticData('node') as {
			watch?: WatchState;
			pacing?: PacingState;
		};
		const key = JSON.stringify([event, serverComposition, email ?? '']);
		const firstRun = staticData.watch?.key !== key;
		if (
			!firstRun &&
			isTooSoon(staticData.pacing ?? {}, minPollIntervalMs(options.minPollInterval), nowMs)
		)
			return null;
		const state = firstRun ? watcher.initialState(key) : staticData.watch!;
		const { fresh, next } = watcher.diff(state, await watcher.read(state));
		staticData.pacing = { lastPollAt: nowMs };
		// The state changes only with a poll that emits (or the first one), since n8n saves static
		// data only then: a restart resumes from exactly what the trigger last had.
		if (firstRun) staticData.watch = next;
		if (firstRun || fresh.length === 0) return null;
		staticData.watch = next;
		return emit(fresh);
	}
}
