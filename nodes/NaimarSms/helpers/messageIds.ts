/** Reading the message ids of one input item: a list in text, an array, or both mixed. */

/** The API declares a message id as varchar(14). */
export const MAX_MESSAGE_ID_LENGTH = 14;

export type MessageIdsResult = { ids: string[] } | { problem: string; hint: string };

/**
 * Commas, semicolons and white space separate ids; brackets and quotes are dropped too, so a
 * JSON array given as text (as an AI agent or a stringified field often gives it) reads as its ids.
 */
const SEPARATORS = /[\s,;[\]"']+/;

function collect(value: unknown, into: string[]): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (Array.isArray(value)) {
		for (const entry of value) {
			const problem = collect(entry, into);
			if (problem) return problem;
		}
		return undefined;
	}
	if (typeof value === 'number' || typeof value === 'bigint') {
		into.push(String(value));
		return undefined;
	}
	if (typeof value === 'string') {
		for (const part of value.split(SEPARATORS)) if (part) into.push(part);
		return undefined;
	}
	// An object from an expression such as {{ $json.messages }}: take its id.
	if (typeof value === 'object' && 'id' in value)
		return collect((value as { id: unknown }).id, into);
	return `a value of type ${typeof value}`;
}

/** Splits on commas, semicolons, spaces and new lines (ignoring brackets and quotes); flattens arrays; checks every id. */
export function readMessageIds(value: unknown): MessageIdsResult {
	const ids: string[] = [];
	const unreadable = collect(value, ids);
	if (unreadable) {
		return {
			problem: `"Message IDs" holds ${unreadable}, not an id`,
			hint: 'Give ids as text (separated by commas, spaces or new lines) or as an array of ids.',
		};
	}
	if (!ids.length) {
		return {
			problem: '"Message IDs" is empty',
			hint: 'Enter the id of at least one sent SMS, or an expression that gives one (e.g. {{ $json.id }}).',
		};
	}
	// Checked without a new array per item (most items hold one good id).
	if (ids.some((id) => id.length > MAX_MESSAGE_ID_LENGTH)) {
		const tooLong = ids.filter((id) => id.length > MAX_MESSAGE_ID_LENGTH);
		const shown = tooLong
			.slice(0, 3)
			.map((id) => `"${id.length > 40 ? `${id.slice(0, 40)}…` : id}"`);
		return {
			problem: `${tooLong.length === 1 ? 'A message ID is' : `${tooLong.length} message IDs are`} longer than ${MAX_MESSAGE_ID_LENGTH} characters: ${shown.join(', ')}${tooLong.length > 3 ? ', …' : ''}`,
			hint: `Naimar SMS message ids have at most ${MAX_MESSAGE_ID_LENGTH} characters. Check that "Message IDs" holds the ids the gateway gave when the SMS were sent, separated by commas, spaces or new lines.`,
		};
	}
	return { ids };
}
