/** Re-throwing a transport error in the operation's own words, e.g. a 404 that names the id looked up. */
import { httpCodeOf, providerErrorsOf, toNodeApiError } from './errors';
import { credentialSecrets, type ProviderProfile, type RequestContext } from './request';

/** The error with a new message and description; the status and the provider's own errors stay. */
export async function rephraseError(
	ctx: RequestContext,
	profile: ProviderProfile,
	error: unknown,
	words: { message: string; description: string },
	itemIndex?: number,
): Promise<Error> {
	const details = providerErrorsOf(error);
	const said = details.map((detail) => detail.message).join('; ');
	return toNodeApiError(
		ctx.getNode(),
		{
			httpCode: httpCodeOf(error),
			message: words.message,
			description: said ? `${words.description} ${profile.displayName} said: ${said}` : words.description,
			details,
		},
		await credentialSecrets(ctx, profile),
		itemIndex,
	);
}
