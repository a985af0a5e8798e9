// Reads something now and again every `intervalMs` after each answer (never two requests at once), until the
// component goes away; `refresh` reads at once (after an action).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
	readonly data: T | null;
	readonly error: Error | null;
	readonly refresh: () => void;
}

export function usePoll<T>(read: () => Promise<T>, intervalMs: number): Polled<T> {
	const [data, setData] = useState<T | null>(null);
	const [error, setError] = useState<Error | null>(null);
	const timer = useRef<number | undefined>(undefined);
	const alive = useRef(true);
	const tick = useCallback(() => {
		clearTimeout(timer.current);
		read().then((value) => {
			if (!alive.current) return;
			setData(value);
			setError(null);
		}, (failure: unknown) => {
			if (alive.current) setError(failure as Error);
		}).finally(() => {
			if (alive.current) timer.current = window.setTimeout(tick, intervalMs);
		});
	}, [intervalMs]);
	useEffect(() => {
		alive.current = true;
		tick();
		return () => {
			alive.current = false;
			clearTimeout(timer.current);
		};
	}, []);
	return { data, error, refresh: tick };
}
