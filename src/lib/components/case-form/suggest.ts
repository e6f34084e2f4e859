/**
 * Debounced JSON fetch for the form's suggestions (doctors, communes): the last keystroke
 * wins, a failed request just suggests nothing. Browser only.
 */
const timers = new Map<string, ReturnType<typeof setTimeout>>();
const latest = new Map<string, number>();

export function fetchSuggestions<T>(url: string, typed: string, delay = 200): Promise<T | null> {
	const key = url.slice(0, url.indexOf('?'));
	clearTimeout(timers.get(key));
	if (typed.trim().length < 2) return Promise.resolve(null);
	const ticket = (latest.get(key) ?? 0) + 1;
	latest.set(key, ticket);
	return new Promise((resolve) => {
		const ask = async (): Promise<void> => {
			try {
				const res = await fetch(url, { headers: { accept: 'application/json' } });
				const body = res.ok ? ((await res.json()) as T) : null;
				resolve(latest.get(key) === ticket ? body : null);
			} catch {
				resolve(null);
			}
		};
		timers.set(
			key,
			setTimeout(() => void ask(), delay)
		);
	});
}
