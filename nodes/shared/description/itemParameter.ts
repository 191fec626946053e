/**
 * Per-item parameters, read without n8n resolving the same simple value anew for every item.
 *
 * n8n's getNodeParameter evaluates a parameter for each item (about 0.1–0.3 ms a read on 2
 * cores: a third of a per-item request's cost, and most of Naimar's 10,000 ids). The two forms
 * nearly every workflow uses need no evaluation: a fixed value (a text, a number, an Options
 * collection with no expression inside) is the same for every item, and `{{ $json.field }}` is
 * the item's own field. Each parameter's raw form is read once per execution, and only these two
 * forms skip n8n, where n8n would give exactly the same value: none of this package's parameters
 * has a `validateType` for n8n to convert by, and a field is taken as it is only when it holds a
 * text, number or boolean. Anything else (another expression, `$fromAI`, a missing field, a list
 * or object in the field) goes through getNodeParameter as before.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { perContext } from '../transport/perContext';

/** `{{ $json.name }}` or `{{ $json["name"] }}`, with or without spaces inside the braces. */
const OWN_FIELD = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(["'])([^"'\\]*)\2\s*\])\s*\}\}$/;

type Reader =
	| { kind: 'fixed'; value: unknown }
	| { kind: 'field'; field: string; items: INodeExecutionData[] }
	| { kind: 'n8n' };

const readers = perContext<Reader>();

/** Whether n8n would evaluate something in it: an expression is a text that starts with "=". */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value === null || typeof value !== 'object') return false;
	return Object.values(value).some(holdsExpression);
}

/** How a parameter is read in this execution, from its raw form in the workflow. */
function readerOf(ctx: IExecuteFunctions, name: string): Reader {
	const raw: unknown = ctx.getNode().parameters[name];
	const field = typeof raw === 'string' ? OWN_FIELD.exec(raw) : null;
	if (raw !== undefined && !holdsExpression(raw)) return { kind: 'fixed', value: raw };
	if (field) return { kind: 'field', field: field[1] ?? field[3], items: ctx.getInputData() };
	return { kind: 'n8n' };
}

/**
 * What `ctx.getNodeParameter(name, itemIndex, fallback)` gives, read cheaply where it can be.
 * The value is shared by every item: read it, never change it.
 */
export function readItemParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown = '',
): unknown {
	const reader = readers.get(ctx, name, readerOf);
	if (reader.kind === 'fixed') return reader.value;
	if (reader.kind === 'field') {
		const value = (reader.items[itemIndex]?.json as IDataObject | undefined)?.[reader.field];
		const type = typeof value;
		if (type === 'string' || type === 'number' || type === 'boolean') return value;
	}
	return ctx.getNodeParameter(name, itemIndex, fallback);
}
