/** The Return All and Limit parameters every "Get Many" operation offers, as n8n's own nodes name them. */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Return All, and Limit shown while it is off; `returnAllHint` says what "all" means for the provider. */
export function returnAllFields(show: NonNullable<IDisplayOptions['show']>, returnAllHint?: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			...(returnAllHint ? { hint: returnAllHint } : {}),
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}
