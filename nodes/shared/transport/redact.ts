/**
 * Secret redaction. Every text that leaves the shared transport (error messages, descriptions,
 * causes) passes through here, so a provider echoing a request back can never leak a key.
 */
export const REDACTED = '[redacted]';

/** Field names whose values are secrets wherever they appear (form bodies, JSON, query strings). */
const SECRET_FIELD_PATTERN =
	/((?:api_key|apiKey|password|secret|access_token|refresh_token)["']?\s*[:=]\s*["']?)([^"'&\s,}]+)/gi;
const AUTH_HEADER_PATTERN = /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]+/g;

const formsCache = new WeakMap<readonly string[], string[]>();

/** Every spelling of every secret: as written raw, URL-encoded (a form body) and JSON-escaped (a body excerpt). */
function secretForms(secrets: readonly string[]): string[] {
	let forms = formsCache.get(secrets);
	if (!forms) {
		forms = [];
		for (const secret of secrets) {
			if (!secret || secret.length < 3) continue;
			forms.push(
				...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]),
			);
		}
		formsCache.set(secrets, forms);
	}
	return forms;
}

export function redactText(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const form of secretForms(secrets)) result = result.split(form).join(REDACTED);
	return result
		.replace(SECRET_FIELD_PATTERN, `$1${REDACTED}`)
		.replace(AUTH_HEADER_PATTERN, `$1${REDACTED}`);
}

/** Deep copy of a JSON-like value with every string redacted. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
	if (typeof value === 'string') return redactText(value, secrets) as unknown as T;
	if (Array.isArray(value))
		return value.map((entry) => redactValue(entry, secrets)) as unknown as T;
	if (value !== null && typeof value === 'object') {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			copy[key] = redactValue(entry, secrets);
		}
		return copy as T;
	}
	return value;
}
