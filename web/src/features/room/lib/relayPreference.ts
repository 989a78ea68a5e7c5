// "Always connect through the relay": a per-device choice for networks where direct media is blocked
// or unreliable (and what the relay browser test sets). It takes effect on the next join or reconnect.
const FORCE_RELAY_KEY = 'majlis.forceRelay';

/** Whether this device always uses the TURN relay (`localStorage['majlis.forceRelay'] === 'true'`). */
export function readForceRelay(): boolean {
	try {
		return localStorage.getItem(FORCE_RELAY_KEY) === 'true';
	} catch {
		return false;
	}
}

/** Remembers the choice on this device. */
export function writeForceRelay(on: boolean): void {
	try {
		if (on) {
			localStorage.setItem(FORCE_RELAY_KEY, 'true');
		} else {
			localStorage.removeItem(FORCE_RELAY_KEY);
		}
	} catch {
		// Storage disabled (private mode): nothing to remember.
	}
}
