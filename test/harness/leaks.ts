/** Turning whatever a run produced into one string to search for secrets. */

/**
 * Everything an error (or any value) could show a user once serialized: the value as n8n would
 * store it (its toJSON), its own fields, message, description, context, cause and stack.
 */
export function serializeForLeakCheck(value: unknown): string {
	if (value === undefined || value === null) return '';
	const parts: unknown[] = [value, String(value)];
	if (typeof value === 'object') {
		const error = value as Record<string, unknown> & { toJSON?: () => unknown };
		parts.push(
			error.message,
			error.description,
			error.context,
			error.cause,
			error.stack,
			error.messages,
			error.errorResponse,
			Object.fromEntries(Object.entries(error)),
		);
		if (typeof error.toJSON === 'function') parts.push(error.toJSON());
	}
	return parts
		.map((part) => {
			try {
				return JSON.stringify(part) ?? '';
			} catch {
				return String(part);
			}
		})
		.join('\n');
}
