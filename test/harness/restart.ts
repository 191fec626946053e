/**
 * How n8n 2.8 keeps a polling trigger's static data across restarts (ActiveWorkflowManager): it
 * saves it after activation (which runs a first poll) and when a poll emits; what silent polls
 * change lives only in memory. A restart loads the saved copy and activates again, which polls.
 */
import type { IDataObject } from 'n8n-workflow';

export class PersistedStaticData {
	/** What the running trigger sees (runPoll updates it in place). */
	memory: IDataObject = {};
	private saved = '{}';
	private activating = true;

	/** To call after every poll with whether it emitted: saves as n8n would. */
	afterPoll(emitted: boolean): void {
		if (this.activating || emitted) this.saved = JSON.stringify(this.memory);
		this.activating = false;
	}

	/** n8n stops and starts again: memory is the saved copy; the next poll is the activation poll. */
	restart(): void {
		this.memory = JSON.parse(this.saved) as IDataObject;
		this.activating = true;
	}

	/** The saved copy, e.g. to check what a silent poll changed. */
	get savedCopy(): IDataObject {
		return JSON.parse(this.saved) as IDataObject;
	}
}

/** A scenario step: a change at the provider, or a poll of the trigger. */
export type Step = 'poll' | (() => void | Promise<void>);

/** One poll on the given static data; returns the keys of what it emitted (none: silent). */
export type PollOnce = (staticData: IDataObject) => Promise<string[]>;

/**
 * Runs the scenario once without a restart, then once with a restart before each poll in turn
 * (from a fresh provider each time), and returns what every run emitted.
 */
export async function emittedAcrossRestarts(
	steps: Step[],
	poll: PollOnce,
	reset: () => void | Promise<void>,
): Promise<{
	baseline: string[];
	withRestart: Array<{ restartBeforePoll: number; emitted: string[] }>;
}> {
	const polls = steps.filter((step) => step === 'poll').length;
	const run = async (restartBeforePoll?: number) => {
		await reset();
		const persisted = new PersistedStaticData();
		const emitted: string[] = [];
		let index = 0;
		for (const step of steps) {
			if (step !== 'poll') {
				await step();
				continue;
			}
			if (index++ === restartBeforePoll) persisted.restart();
			const keys = await poll(persisted.memory);
			persisted.afterPoll(keys.length > 0);
			emitted.push(...keys);
		}
		return emitted;
	};
	const baseline = await run();
	const withRestart = [];
	for (let index = 1; index < polls; index++)
		withRestart.push({ restartBeforePoll: index, emitted: await run(index) });
	return { baseline, withRestart };
}
