/**
 * A value made once per execution context and key (a credential read, a base URL), shared by
 * every request of that execution. A failed one is not remembered: the next caller sees the
 * failure for itself.
 */
export function oncePerContext<T>(): (
	ctx: object,
	key: string,
	make: () => Promise<T>,
) => Promise<T> {
	const cache = new WeakMap<object, Map<string, Promise<T>>>();
	return async (ctx, key, make) => {
		let byKey = cache.get(ctx);
		if (!byKey) cache.set(ctx, (byKey = new Map()));
		let value = byKey.get(key);
		if (!value) {
			const forget = byKey;
			value = make();
			forget.set(key, value);
			value.catch(() => forget.delete(key));
		}
		return await value;
	};
}
