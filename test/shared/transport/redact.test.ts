import { redactText, redactValue } from '../../../nodes/shared/transport/redact';

describe('redaction', () => {
	it('removes known secret values, raw and URL-encoded', () => {
		expect(redactText('key is ab+c/d=e here', ['ab+c/d=e'])).toBe('key is [redacted] here');
		expect(redactText('api_key%3Dab%2Bc%2Fd%3De', ['ab+c/d=e'])).not.toContain('ab%2Bc');
	});
	it('removes a secret with quotes or backslashes as it appears JSON-escaped in a body excerpt', () => {
		const secret = 'pa"ss\\word';
		const excerpt = JSON.stringify({ echoed: `login ${secret}` });
		expect(redactText(excerpt, [secret])).toBe('{"echoed":"login [redacted]"}');
	});
	it('removes values of secret-named fields and authorization headers even when the value is unknown', () => {
		const text =
			'api_key=zzz&password: "p4ss" {"client_secret":"s3"} Authorization: Bearer eyJ.abc Basic dXNlcjpwYXNz';
		const result = redactText(text, []);
		for (const secret of ['zzz', 'p4ss', 's3', 'eyJ.abc', 'dXNlcjpwYXNz'])
			expect(result).not.toContain(secret);
	});
	it('removes the ZIP password and the push shared secret by field name, and a secret in a URL query', () => {
		const text =
			'{"zipPassword":"zp-1","sharedSecret":"ss-2"} shared_secret=ss-3 https://n8n.example/webhook/x?secret=ss-4&id=1';
		const result = redactText(text, []);
		for (const secret of ['zp-1', 'ss-2', 'ss-3', 'ss-4']) expect(result).not.toContain(secret);
		expect(result).toContain('&id=1');
	});
	it('redacts every string inside nested values', () => {
		expect(redactValue({ a: ['x secret1 y'], b: { c: 'secret1' }, n: 3 }, ['secret1'])).toEqual({
			a: ['x [redacted] y'],
			b: { c: '[redacted]' },
			n: 3,
		});
	});
});
