/**
 * What the webhook triggers share: the provider calls us, so there is nothing to register by
 * API, the caller is checked against an optional credential in constant time, and the caller
 * gets its answer at once (a provider that waits on the workflow would time out and resend).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IHookFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

/** The webhook is set up in the provider's console: there is nothing to create or delete by API. */
export const consoleManagedWebhook = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};

/** Answers the caller with a plain-text status. */
export function answerCaller(ctx: IWebhookFunctions, status: number, body: string): void {
	ctx.getResponseObject().status(status).type('text/plain').send(body);
}

/** Answers a refused call; the workflow does not start. */
export function refuseCaller(
	ctx: IWebhookFunctions,
	status: number,
	body: string,
): IWebhookResponseData {
	answerCaller(ctx, status, body);
	return { noWebhookResponse: true };
}

/**
 * The caller credential, or undefined when the node has none (every call is then accepted).
 * One that is chosen but cannot be read fails the call rather than letting everything in.
 */
export async function callerCredential(
	ctx: IWebhookFunctions,
	credentialType: string,
): Promise<ICredentialDataDecryptedObject | undefined> {
	if (!ctx.getNode().credentials?.[credentialType]) return undefined;
	return await ctx.getCredentials<ICredentialDataDecryptedObject>(credentialType);
}

/**
 * Compares a secret the caller sent (a field, header or query value; the first of repeated
 * ones) in constant time: digests of equal length, whatever the input, so it cannot be guessed
 * character by character.
 */
export function secretEquals(given: unknown, expected: string): boolean {
	const single = Array.isArray(given) ? given[0] : given;
	if (typeof single !== 'string' && typeof single !== 'number') return false;
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(String(single)), digest(expected));
}
