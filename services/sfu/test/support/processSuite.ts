import { SFU_NODES_KEY } from '@majlis/protocol';
import { afterAll, beforeAll } from 'vitest';
import { Harness } from './harness.js';
import type { Participant } from './Participant.js';
import { type ApiProcess, SfuProcess } from './SfuProcess.js';

/** What a suite of child-process nodes shares; filled in by {@link useProcessSuite}'s hooks. */
export interface ProcessSuite {
	/** The harness: Postgres, bus and in-process API, without an SFU node of its own. */
	h: Harness;
	/** Child processes to stop after the suite. */
	processes: (SfuProcess | ApiProcess)[];
	/** Participants to close after the suite. */
	people: Participant[];
}

/**
 * Hooks of a suite whose SFU (and API) nodes are child processes on `redisUrl`: only they serve its
 * rooms. Afterwards participants close, processes stop and their registry entries go.
 */
export function useProcessSuite(redisUrl: string | undefined): ProcessSuite {
	const suite: ProcessSuite = { h: undefined as unknown as Harness, processes: [], people: [] };
	beforeAll(async () => {
		suite.h = await Harness.start({}, redisUrl);
		await suite.h.node.close();
	});
	afterAll(async () => {
		await Promise.all(suite.people.map((p) => p.close()));
		await Promise.all(suite.processes.map((p) => p.stop()));
		const nodeIds = suite.processes.flatMap((p) => (p instanceof SfuProcess ? [p.nodeId] : []));
		if (nodeIds.length > 0) {
			await suite.h?.bus.hdel(SFU_NODES_KEY, ...nodeIds).catch(() => undefined);
		}
		await suite.h?.close();
	});

	return suite;
}
