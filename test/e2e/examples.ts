/**
 * The shipped example workflows (examples/*.json) and their sandbox credentials
 * (examples/credentials/*.json), run against fresh fakes on free ports: the fakes hold the same
 * demo data as the sandbox `npm start` runs (scripts/sandbox.js), and each credential is pointed
 * at its fake the way scripts/start.js fills in the sandbox values.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { startAraraMessageFake, type AraraFake } from '../fakes/arara-message';
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
} from '../fakes/customers-mail-cloud';
import { startNaimarSmsFake, type NaimarSmsFake } from '../fakes/naimar-sms';
import { REPO_ROOT, readJson, type CredentialFixture, type WorkflowJson } from './n8n';

export interface ShippedExample {
	/** File name under examples/, e.g. "naimar-sms-wait-final-alert.json". */
	file: string;
	workflow: WorkflowJson & { id: string };
}

/** Every workflow in examples/*.json (a file may hold one workflow or a list), by file name. */
export function shippedExamples(): ShippedExample[] {
	const directory = path.join(REPO_ROOT, 'examples');
	return readdirSync(directory)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.flatMap((file) => {
			const json = readJson<WorkflowJson | WorkflowJson[]>(`examples/${file}`);
			return (Array.isArray(json) ? json : [json]).map((workflow) => {
				if (!workflow.id)
					throw new Error(
						`examples/${file}: give the workflow an "id" so that re-imports update it`,
					);
				return { file, workflow: workflow as WorkflowJson & { id: string } };
			});
		});
}

/** The example whose file name is `file` (exactly one workflow expected). */
export function shippedExample(
	examples: ShippedExample[],
	file: string,
): WorkflowJson & { id: string } {
	const found = examples.filter((example) => example.file === file);
	if (found.length !== 1)
		throw new Error(`expected one workflow in examples/${file}, found ${found.length}`);
	return found[0].workflow;
}

export interface ExampleSandbox {
	cmc: CustomersMailCloudFake;
	naimar: NaimarSmsFake;
	arara: AraraFake;
	/** examples/credentials/*.json, each pointed at its fake. */
	credentials: CredentialFixture[];
	close(): Promise<void>;
}

/** Starts the three fakes with the sandbox's demo data and the example credentials for them. */
export async function startExampleSandbox(): Promise<ExampleSandbox> {
	const cmc = await startCustomersMailCloudFake({ demoData: true });
	const naimar = await startNaimarSmsFake();
	const arara = await startAraraMessageFake({ demoDeliveries: 200 });
	const fakeData: Record<string, IDataObject> = {
		customersMailCloudApi: cmc.credentials,
		naimarSmsApi: naimar.credentials,
		araraMessageOAuth2Api: arara.credentials,
	};
	const credentials = readdirSync(path.join(REPO_ROOT, 'examples', 'credentials'))
		.filter((name) => name.endsWith('.json'))
		.sort()
		.flatMap((name) => readJson<CredentialFixture[]>(`examples/credentials/${name}`))
		.map((credential) => ({
			...credential,
			data: { ...credential.data, ...(fakeData[credential.type] ?? {}) },
		}));
	return {
		cmc,
		naimar,
		arara,
		credentials,
		async close() {
			await Promise.allSettled([cmc.close(), naimar.close(), arara.close()]);
		},
	};
}

/** Names of the nodes of a workflow that do something (sticky notes are not run). */
export function runnableNodes(workflow: WorkflowJson): string[] {
	return workflow.nodes
		.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
		.map((node) => node.name);
}
