/** Reading the text parameters every provider reads alike. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { invalidInput } from './errors';

/** A text parameter of one item, trimmed; '' when it is not set. */
export function readText(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
}

/** What the item fails with when a required text is empty: the field by its label, and how to fill it. */
export interface EmptyTextProblem {
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
	const value = readText(ctx, name, itemIndex);
	if (!value) throw invalidInput(ctx.getNode(), whenEmpty.message, whenEmpty.hint, itemIndex);
	return value;
}
