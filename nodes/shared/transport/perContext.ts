/**
 * Values kept per execution context and key (a credential read, a base URL, how a parameter is
 * read), made on first use and shared by every item and request of that execution.
 */
export interface PerContext<T> {
	/** The value of `key`; `make(ctx, key)` makes it on first use. */
	get<C extends object>(ctx: C, key: string, make: (ctx: C, key: string) => T): T;
	forget(ctx: object, key: string): void;
}

export function perContext<T>(): PerContext<T> {
	const cache = new WeakMap<object, Map<string, T>>();
	return {
		get(ctx, key, make) {
			let byKey = cache.get(ctx);
			if (!byKey) cache.set(ctx, (byKey = new Map()));
			if (!byKey.has(key)) byKey.set(key, make(ctx, key));
			return byKey.get(key) as T;
		},
		forget(ctx, key) {
			cache.get(ctx)?.delete(key);
		},
	};
}

/**
 * An async value made once per execution context and key. A failed one is not remembered: the
 * next caller sees the failure for itself.
 */
export function oncePerContext<T>(): (
	ctx: object,
	key: string,
	make: () => Promise<T>,
) => Promise<T> {
	const values = perContext<Promise<T>>();
	return async (ctx, key, make) =>
		await values.get(ctx, key, () => {
			const made = make();
			made.catch(() => values.forget(ctx, key));
			return made;
		});
}
