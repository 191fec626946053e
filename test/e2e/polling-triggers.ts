/**
 * The two polling triggers as e2e workflows (trigger → NoOp "Received"), polling every minute,
 * for the suites that watch what n8n's scheduler does with them (queue mode, poll scheduler).
 */
import { PACKAGE_PREFIX, randomId, type CredentialFixture, type WorkflowJson } from './n8n';

/** A workflow of one trigger followed by a NoOp named "Received". */
export function triggerWorkflow(
	name: string,
	trigger: WorkflowJson['nodes'][number],
): WorkflowJson {
	return {
		id: randomId('wf'),
		name,
		nodes: [
			trigger,
			{
				id: randomId('nd'),
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [200, 0],
				parameters: {},
			},
		],
		connections: { [trigger.name]: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
	};
}

/** The CMC trigger (New Block) and the Arara trigger, each polling every minute. */
export function everyMinuteTriggers(
	label: string,
	cmcCredential: CredentialFixture,
	araraCredential: CredentialFixture,
) {
	const cmcTrigger = triggerWorkflow(`${label}: CMC trigger`, {
		id: randomId('nd'),
		name: 'CMC Trigger',
		type: `${PACKAGE_PREFIX}customersMailCloudTrigger`,
		typeVersion: 1,
		position: [0, 0],
		// minPollInterval 0: every poll of the test counts (the default paces polls to one an hour)
		parameters: {
			event: 'newBlock',
			pollTimes: { item: [{ mode: 'everyMinute' }] },
			options: { minPollInterval: 0 },
		},
		credentials: { customersMailCloudApi: { id: cmcCredential.id, name: cmcCredential.name } },
	});
	const araraTrigger = triggerWorkflow(`${label}: Arara trigger`, {
		id: randomId('nd'),
		name: 'Arara Trigger',
		type: `${PACKAGE_PREFIX}araraMessageTrigger`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, lookBackHours: 24 },
		credentials: { araraMessageOAuth2Api: { id: araraCredential.id, name: araraCredential.name } },
	});
	return { cmcTrigger, araraTrigger };
}
