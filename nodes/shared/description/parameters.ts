/** Reading the text parameters every provider reads alike. */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { invalidInput } from '../transport/errors';
import { readItemParameter } from './itemParameter';

/**
 * Refuses a list or an object where one value is wanted: String() would turn it into "a,b" or
 * "[object Object]" and send that. `expected` says what one value is, e.g. "one address".
 */
export function refuseListOrObject(
	ctx: { getNode(): INode },
	value: unknown,
	label: string,
	itemIndex: number | undefined,
	expected = 'one value',
): void {
	if (value === null || typeof value !== 'object') return;
	const kind = Array.isArray(value) ? 'a list' : 'an object';
	throw invalidInput(
		ctx.getNode(),
		`${label} must be ${expected}, not ${kind}`,
		`Give ${expected} per input item, e.g. {{ $json.email }}. To use several, first turn the list into one item each (e.g. with the Split Out node).`,
		itemIndex,
	);
}

/** What a text parameter is called in errors, and what one value of it is. */
export interface TextLabel {
	label: string;
	/** e.g. "one address"; "one value" when not given. */
	expected?: string;
}

/** A text parameter of one item, trimmed; '' when it is not set; a list or an object is refused. */
export function readText(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	{ label, expected }: TextLabel,
): string {
	const value = readItemParameter(ctx, name, itemIndex);
	refuseListOrObject(ctx, value, label, itemIndex, expected);
	return String(value ?? '').trim();
}

/** What the item fails with when a required text is empty: the field by its label, and how to fill it. */
export interface EmptyTextProblem extends TextLabel {
	message: string;
	hint: string;
}

/** A text parameter that must be filled in, checked before any request is sent. */
export function readRequiredText(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	whenEmpty: EmptyTextProblem,
): string {
	const value = readText(ctx, name, itemIndex, whenEmpty);
	if (!value) throw invalidInput(ctx.getNode(), whenEmpty.message, whenEmpty.hint, itemIndex);
	return value;
}
