/** Reading one item's recipient, contents and settings for "Send", with the documented limits checked. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidInput } from '../../../shared/transport/errors';
import { readText, refuseListOrObject } from '../../../shared/description/parameters';
import { parseDateTime } from '../../../shared/dateTime';
import { floorToMinute, toJapanMinute } from '../../helpers/japanTime';
import {
	checkAddress,
	checkLines,
	checkRequestId,
	checkSendTime,
	checkSubject,
	checkSubstitutionKey,
	japanClock,
} from '../../helpers/reservation';
import { readItemParameter } from '../../../shared/description/itemParameter';

export interface ReadContext {
	ctx: IExecuteFunctions;
	/** One clock reading for the whole execution, so every item is judged alike. */
	nowMs: number;
	/** Each item's Additional Fields, read once: recipient, contents and settings all need them. */
	additionalFields?: Map<number, IDataObject>;
}

function additional(read: ReadContext, itemIndex: number): IDataObject {
	read.additionalFields ??= new Map();
	let fields = read.additionalFields.get(itemIndex);
	if (!fields) {
		fields = (readItemParameter(read.ctx, 'additionalFields', itemIndex, {}) ?? {}) as IDataObject;
		read.additionalFields.set(itemIndex, fields);
	}
	return fields;
}

function fieldError(
	ctx: IExecuteFunctions,
	field: string,
	problem: string,
	hint: string,
	itemIndex: number,
) {
	return invalidInput(ctx.getNode(), `"${field}" ${problem}`, hint, itemIndex);
}

function checkedAddress(
	ctx: IExecuteFunctions,
	field: string,
	address: string,
	itemIndex: number,
): string {
	const problem = checkAddress(address, { single: field !== 'CC' && field !== 'BCC' });
	if (problem) {
		const hint =
			field === 'To'
				? 'Give one e-mail address of at most 256 bytes in "To". To reach several recipients, give one per input item and choose "One Delivery for All Items".'
				: `Give one e-mail address of at most 256 bytes in "${field}".`;
		throw fieldError(ctx, field, problem, hint, itemIndex);
	}
	return address;
}

/** One mailing-list entry: address, device, substitutions, unsubscribe URL. */
export function readRecipient(read: ReadContext, itemIndex: number): IDataObject {
	const { ctx } = read;
	// A list is read as text on purpose: checkedAddress refuses it and points to One Delivery for All Items.
	const address = checkedAddress(
		ctx,
		'To',
		String(readItemParameter(ctx, 'toAddress', itemIndex) ?? '').trim(),
		itemIndex,
	);
	const extra = additional(read, itemIndex);
	const to: IDataObject = { address };
	if (extra.device !== undefined) to.device = Number(extra.device);
	const entry: IDataObject = { to };

	const pairs = ((readItemParameter(ctx, 'substitutions', itemIndex, {}) as IDataObject).values ??
		[]) as IDataObject[];
	if (pairs.length) {
		const substitutions: IDataObject = {};
		for (const pair of pairs) {
			const key = String(pair.key ?? '').trim();
			const problem = checkSubstitutionKey(key);
			if (problem) {
				throw fieldError(
					ctx,
					'Substitutions',
					`key ${problem}`,
					'Rename the key, e.g. first_name.',
					itemIndex,
				);
			}
			const value = pair.value;
			if (value !== null && typeof value === 'object') {
				throw fieldError(
					ctx,
					'Substitutions',
					`value of "${key}" is ${Array.isArray(value) ? 'a list' : 'an object'}, not text`,
					'Map a text or number field, e.g. {{ $json.order.id }}, or turn it into text with {{ JSON.stringify(…) }}.',
					itemIndex,
				);
			}
			substitutions[key] = String(value ?? '');
		}
		entry.substitutions = substitutions;
	}
	const unsubscribeUrl = String(extra.unsubscribeUrl ?? '').trim();
	if (unsubscribeUrl) entry.unsubscribe_url = unsubscribeUrl;
	return entry;
}

/** Subject, body, encoding, attachments, cc and bcc; a promise only when there are attachments to read. */
export function readContents(
	read: ReadContext,
	itemIndex: number,
): IDataObject | Promise<IDataObject> {
	const { ctx } = read;
	// Checked as sent: surrounding spaces are dropped rather than counted against the 500 bytes.
	const subject = readText(ctx, 'subject', itemIndex, { label: 'Subject' });
	const subjectProblem = checkSubject(subject);
	if (subjectProblem) {
		throw fieldError(
			ctx,
			'Subject',
			subjectProblem,
			'Shorten the subject to at most 500 bytes (about 166 Japanese characters).',
			itemIndex,
		);
	}
	const body: IDataObject = {};
	for (const [name, label] of [
		['text', 'Text'],
		['html', 'HTML'],
	] as const) {
		const raw = readItemParameter(ctx, name, itemIndex);
		refuseListOrObject(ctx, raw, label, itemIndex);
		// Not trimmed: a body's leading and trailing white space is the sender's to choose.
		const value = String(raw ?? '');
		if (!value.trim()) continue;
		const problem = checkLines(value);
		if (problem) throw fieldError(ctx, label, problem, 'Break long lines.', itemIndex);
		body[name] = value;
	}
	if (!Object.keys(body).length) {
		throw invalidInput(
			ctx.getNode(),
			'The mail has no body',
			'Fill in "Text", "HTML" or both.',
			itemIndex,
		);
	}
	const extra = additional(read, itemIndex);
	const contents: IDataObject = { subject, body };
	const encode = String(extra.encode ?? '').trim();
	if (encode) contents.encode = encode;
	for (const [name, label] of [
		['cc', 'CC'],
		['bcc', 'BCC'],
	] as const) {
		const value = String(extra[name] ?? '').trim();
		if (value) contents[name] = checkedAddress(ctx, label, value, itemIndex);
	}
	const names = String(extra.attachments ?? '');
	if (!names.trim()) return contents;
	return readAttachments(ctx, names, itemIndex).then((attachments) => {
		if (attachments.length) contents['attachments-list'] = attachments;
		return contents;
	});
}

async function readAttachments(
	ctx: IExecuteFunctions,
	names: string,
	itemIndex: number,
): Promise<IDataObject[]> {
	const properties = names
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	const attachments: IDataObject[] = [];
	for (const property of properties) {
		const item = ctx.getInputData()[itemIndex];
		if (!item?.binary?.[property]) {
			throw invalidInput(
				ctx.getNode(),
				`"Attachments": the item has no binary property "${property}"`,
				`Name binary properties the input item carries${item?.binary ? ` (it has: ${Object.keys(item.binary).join(', ')})` : ' (it has none)'}.`,
				itemIndex,
			);
		}
		const binary = ctx.helpers.assertBinaryData(itemIndex, property);
		const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		attachments.push({
			filename: binary.fileName ?? property,
			mimetype: binary.mimeType ?? 'application/octet-stream',
			data: data.toString('base64'),
		});
	}
	return attachments;
}

/** send_time, request_id, from, reply_to, tc_option, throttle, error_count. */
export function readSettings(read: ReadContext, itemIndex: number): IDataObject {
	const { ctx, nowMs } = read;
	const extra = additional(read, itemIndex);
	const settings: IDataObject = { send_time: readSendTime(ctx, nowMs, itemIndex) };

	const requestId = String(extra.requestId ?? '').trim();
	if (requestId) {
		const problem = checkRequestId(requestId);
		if (problem)
			throw fieldError(ctx, 'Request ID', problem, 'Use e.g. "newsletter202405".', itemIndex);
		settings.request_id = requestId;
	}

	const fromAddress = readText(ctx, 'fromAddress', itemIndex, {
		label: 'From Address',
		expected: 'one address',
	});
	const fromName = readText(ctx, 'fromName', itemIndex, { label: 'From Name' });
	if (fromAddress || fromName) {
		settings.from = {
			...(fromName ? { name: fromName } : {}),
			...(fromAddress
				? { address: checkedAddress(ctx, 'From Address', fromAddress, itemIndex) }
				: {}),
		};
	}
	const replyTo = String(extra.replyTo ?? '').trim();
	if (replyTo) settings.reply_to = { address: checkedAddress(ctx, 'Reply-To', replyTo, itemIndex) };

	const tcOption = readTransmissionControl(ctx, extra, itemIndex);
	if (tcOption) settings.tc_option = tcOption;
	if (extra.throttle !== undefined) settings.throttle = Number(extra.throttle);
	if (extra.errorCount !== undefined) settings.error_count = Number(extra.errorCount);
	if (extra.ignoreAttachmentsSize !== undefined)
		settings.ignore_attachments_size = extra.ignoreAttachmentsSize === true;
	return settings;
}

function readSendTime(ctx: IExecuteFunctions, nowMs: number, itemIndex: number): string {
	if (readItemParameter(ctx, 'sendTime', itemIndex, 'now') !== 'at') return 'now';
	const value = readItemParameter(ctx, 'sendAt', itemIndex, '');
	const ms = parseDateTime(value, ctx.getTimezone());
	if (ms === undefined) {
		throw fieldError(
			ctx,
			'Send At',
			'is not a date and time',
			'Pick a date and time, or choose "Now" under "Send Time".',
			itemIndex,
		);
	}
	const minute = floorToMinute(ms);
	const problem = checkSendTime(minute, nowMs);
	if (problem) {
		throw fieldError(
			ctx,
			'Send At',
			`(${toJapanMinute(minute)}) ${problem}`,
			'Choose a time in the future and less than 32 days ahead, or "Now" under "Send Time".',
			itemIndex,
		);
	}
	return toJapanMinute(minute);
}

function readTransmissionControl(
	ctx: IExecuteFunctions,
	extra: IDataObject,
	itemIndex: number,
): IDataObject | undefined {
	const tcOption: IDataObject = {};
	const from = String(extra.stopSendFrom ?? '').trim();
	const until = String(extra.stopSendUntil ?? '').trim();
	if (from || until) {
		const timemin = japanClock(from);
		const timemax = japanClock(until);
		if (!timemin || !timemax) {
			throw fieldError(
				ctx,
				timemin ? 'Stop Sending Until' : 'Stop Sending From',
				'must be a time of day as hh:mm (Japan time)',
				'Set both "Stop Sending From" and "Stop Sending Until", e.g. 22:00 and 07:00.',
				itemIndex,
			);
		}
		tcOption.stop_send = { timemin, timemax };
	}
	if (extra.lifetime !== undefined) {
		const lifetime = Number(extra.lifetime);
		if (!(lifetime >= 3600 && lifetime <= 86400)) {
			throw fieldError(
				ctx,
				'Lifetime (Seconds)',
				`is ${extra.lifetime}`,
				'Use 3600 to 86400 seconds.',
				itemIndex,
			);
		}
		tcOption.lifetime = lifetime;
	}
	if (extra.retryInterval !== undefined) tcOption.retry_interval = Number(extra.retryInterval);
	return Object.keys(tcOption).length ? tcOption : undefined;
}
