/** The published names (a compatibility contract: saved workflows use them), and the trigger's texts in the editor, as n8n loads them from dist/. */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { PACKAGE_PREFIX, ensureReady } from '../harness/engine';
import { cachedCredentialType, loadNodeTypes } from '../harness/node-types';

async function descriptionOf(name: string): Promise<INodeTypeDescription> {
	await ensureReady();
	const nodeTypes = await loadNodeTypes([]);
	return nodeTypes.getByNameAndVersion(PACKAGE_PREFIX + name, 1).description;
}

test('node, resource, operation, parameter and option names are the published ones', async () => {
	const node = await descriptionOf('naimarSms');
	expect([node.name, node.displayName, node.usableAsTool]).toEqual([
		'naimarSms',
		'Naimar SMS',
		true,
	]);
	expect(node.credentials).toEqual([{ name: 'naimarSmsApi', required: true }]);
	const byName = (name: string) =>
		node.properties.find((property) => property.name === name) as INodeProperties;
	expect(byName('resource').options).toEqual([
		{ name: 'Delivery Report', value: 'deliveryReport' },
	]);
	expect(
		(byName('operation').options as Array<{ value: string }>).map((option) => option.value),
	).toEqual(['get']);
	expect(byName('messageIds').type).toBe('string');
	const options = (byName('options').options as INodeProperties[]).map((option) => [
		option.name,
		option.default,
	]);
	expect(options).toEqual(
		expect.arrayContaining([
			['batchSize', 100],
			['waitForFinal', false],
		]),
	);
	expect(
		(byName('options').options as INodeProperties[]).find((option) => option.name === 'batchSize')
			?.typeOptions,
	).toMatchObject({
		maxValue: 1000,
	});
});

test("the credential's name and fields are the published ones", async () => {
	await ensureReady();
	const credential = cachedCredentialType('naimarSmsApi')!;
	expect([credential.name, credential.displayName]).toEqual(['naimarSmsApi', 'Naimar SMS API']);
	expect(credential.properties.map((property) => property.name)).toEqual([
		'username',
		'password',
		'baseUrl',
	]);
});

test('the trigger says in the editor what it waits for and what activating it means', async () => {
	const trigger = await descriptionOf('naimarSmsTrigger');
	expect([trigger.name, trigger.displayName]).toEqual(['naimarSmsTrigger', 'Naimar SMS Trigger']);
	expect(trigger.webhooks?.map((webhook) => webhook.httpMethod)).toEqual(['GET']);
	expect(trigger.eventTriggerDescription).toMatch(/Test URL/);
	expect(trigger.activationMessage).toMatch(/Production URL/);
});
