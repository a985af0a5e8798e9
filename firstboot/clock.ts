// Time as a dependency: the agent never calls setTimeout directly, so tests drive the countdown and the DHCP wait.
export interface Clock {
	/** Calls `callback` after `ms`; returns a function that cancels it. */
	setTimer(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
	setTimer(ms, callback) {
		const timer = setTimeout(callback, ms);
		return () => clearTimeout(timer);
	},
};

export function sleep(clock: Clock, ms: number): Promise<void> {
	return new Promise((resolve) => clock.setTimer(ms, resolve));
}

/** Resolves with the promise's value, or with `onTimeout` once `ms` passed on `clock`. */
export function withDeadline<T, U>(clock: Clock, ms: number, promise: Promise<T>, onTimeout: U): Promise<T | U> {
	return new Promise((resolve, reject) => {
		const cancel = clock.setTimer(ms, () => resolve(onTimeout));
		promise.then(
			(value) => {
				cancel();
				resolve(value);
			},
			(error: unknown) => {
				cancel();
				reject(error);
			},
		);
	});
}
