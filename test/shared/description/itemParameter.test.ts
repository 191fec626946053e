/**
 * readItemParameter against n8n's own getNodeParameter, through n8n's engine: for every raw form a
 * parameter can take and every value an input item can hold, both read the same (a fixture node,
 * test/fixtures/probe-package, reads each item both ways).
 */
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness/engine';
import { usePackageRoot } from '../../harness/node-types';

beforeAll(() => usePackageRoot(path.resolve(__dirname, '../../fixtures/probe-package')));

async function echo(parameters: IDataObject, input: IDataObject[]) {
	const result = await runNode({
		node: { type: 'parameterEcho', parameters },
		input,
		credentials: {},
	});
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json);
}

const ITEM_VALUES: unknown[] = [
	'a@example.com',
	'  spaced  ',
	'',
	'=looks like an expression',
	'a@b.c&api_key=x',
	'宛先@例え.jp\u0000\r\n',
	42,
	0,
	-1.5,
	true,
	false,
	null,
	undefined,
	['a@example.com', 'b@example.com'],
	{ address: 'a@example.com' },
];
const items = ITEM_VALUES.map((email) => (email === undefined ? {} : { email }));

describe('reads what n8n reads', () => {
	it.each([
		'a fixed text',
		'',
		'={{ $json.email }}',
		'={{$json.email}}',
		'={{ $json["email"] }}',
		"={{ $json['email'] }}",
		'={{ $json.email }} ',
		'=to: {{ $json.email }}',
		'={{ $json.email || "none" }}',
		'={{ $json.missing }}',
		'={{ $json["e mail"] }}',
		'={{ $json.nested.email }}',
	])('Value %j, for items holding every kind of value', async (value) => {
		const output = await echo(
			{ value },
			items.map((item) => ({ ...item, 'e mail': item.email, nested: { email: item.email } })),
		);
		expect(output).toHaveLength(items.length);
		for (const json of output) expect(json.package).toEqual(json.n8n);
	});

	it.each<IDataObject>([
		{},
		{ timeout: 5, label: 'x' },
		{ timeout: '={{ $json.timeout }}' },
		{ label: '={{ $json.email }}' },
	])('Options %j', async (options) => {
		const output = await echo({ value: 'x', options }, [
			{ timeout: 7, email: 'a@example.com' },
			{ timeout: '9' },
			{},
		]);
		for (const json of output) expect(json.packageOptions).toEqual(json.n8nOptions);
	});
});

describe('skips n8n where n8n would evaluate nothing new', () => {
	it.each([
		['={{ $json.email }}', 0],
		['a fixed text', 0],
		['={{ $json.email.trim() }}', 50],
	])('Value %j over 50 items: n8n is asked %i times', async (value, asked) => {
		const input = Array.from({ length: 50 }, (_value, index) => ({
			email: `m${index}@example.com`,
		}));
		const output = await echo({ value, packageOnly: true }, input);
		expect(output.map((json) => json.package)).toEqual(
			value === 'a fixed text' ? input.map(() => value) : input.map((item) => item.email),
		);
		expect(output[0].askedN8n).toBe(asked);
	});
});
