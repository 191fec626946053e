import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { invalidInput } from '../shared/transport/errors';
import { optionsCollection, readTriggerOptions } from '../shared/description/options';
import { DELIVERY_STATUS_OPTIONS, readStatusFilter } from './actions/delivery/statusOptions';
import { ceilToMinute, floorToMinute } from './helpers/japanTime';
import { collectPeriod } from './helpers/period';
import { detectChanges, type KnownStatuses } from './helpers/statusChanges';

const MAX_LOOK_BACK_HOURS = 768;

/** Look Back (Hours) within the field's range; an expression that gives no number is refused by name. */
function readLookBackHours(ctx: IPollFunctions): number {
	const raw = ctx.getNodeParameter('lookBackHours', 24);
	const hours =
		typeof raw === 'number' || (typeof raw === 'string' && raw.trim() !== '') ? Number(raw) : NaN;
	if (!Number.isFinite(hours)) {
		throw invalidInput(
			ctx.getNode(),
			`Look Back (Hours) must be a number, not ${JSON.stringify(raw)?.slice(0, 60) ?? String(raw)}`,
			`Enter a number of hours from 1 to ${MAX_LOOK_BACK_HOURS} in "Look Back (Hours)".`,
		);
	}
	return Math.min(MAX_LOOK_BACK_HOURS, Math.max(1, hours));
}

export class AraraMessageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Arara Message Trigger',
		name: 'araraMessageTrigger',
		icon: { light: 'file:araraMessage.svg', dark: 'file:araraMessage.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Deliveries of the last " + $parameter["lookBackHours"] + " h"}}',
		description: 'Starts the workflow when the status of an Arara Message delivery changes',
		defaults: { name: 'Arara Message Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'araraMessageOAuth2Api', required: true }],
		properties: [
			{
				displayName:
					'Checks the deliveries reserved during the look-back period on every poll and emits each one whose status changed since the previous poll. The first poll only records the statuses.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Look Back (Hours)',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_LOOK_BACK_HOURS },
				default: 24,
				description:
					'Watch the deliveries reserved during this many hours before each poll. Make it longer than a delivery takes from reservation to its final status.',
			},
			{
				displayName: 'Only On Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: DELIVERY_STATUS_OPTIONS,
				default: [],
				description:
					'Emit a delivery only when it reaches one of these statuses. Leave empty for every change.',
			},
			optionsCollection({ withConcurrency: true }),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const lookBackHours = readLookBackHours(this);
		const statuses = readStatusFilter(this.getNodeParameter('statuses', []));
		const { settings, concurrency } = readTriggerOptions(this);
		const nowMs = Date.now();
		const fromMs = floorToMinute(nowMs - lookBackHours * 3_600_000);
		const { deliveries } = await collectPeriod(this, {
			fromMs,
			toMs: ceilToMinute(nowMs + 1),
			settings,
			concurrency,
		});
		const wanted = (delivery: IDataObject) =>
			!statuses.size || statuses.has(String(delivery.status));

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": the newest delivery, so the user sees what the trigger emits.
			const newest = deliveries.filter(wanted).pop();
			return newest ? [[{ json: { ...newest, previous_status: null } }]] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		let known = staticData.statuses as KnownStatuses | undefined;
		const since = typeof staticData.since === 'number' ? staticData.since : undefined;
		if (known && since !== undefined && fromMs < since) {
			// The look-back grew: deliveries reserved before the last window are not new, only newly watched.
			// Record their statuses as a first poll would, so widening does not flood the workflow.
			const { deliveries: older } = await collectPeriod(this, {
				fromMs,
				toMs: since,
				settings,
				concurrency,
			});
			known = { ...detectChanges(undefined, older).current, ...known };
		}
		const { changed, current } = detectChanges(known, deliveries);
		staticData.statuses = current;
		staticData.since = fromMs;
		const emitted = changed.filter(wanted);
		return emitted.length ? [emitted.map((json) => ({ json }))] : null;
	}
}
