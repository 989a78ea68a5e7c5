import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const k8sDir = join(here, '..');
const readme = readFileSync(join(here, '../../../README.md'), 'utf8');

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };
type Container = {
	name: string;
	image: string;
	env?: { name: string }[];
	envFrom?: { configMapRef?: { name: string } }[];
};

/** Kubernetes' OpenAPI schemas (kubernetes-models) by apiVersion and kind; a kind not listed fails the test. */
const Models = {
	Namespace,
	ConfigMap,
	Service,
	Deployment,
	StatefulSet,
	DaemonSet,
	PodDisruptionBudget,
	Ingress,
	NetworkPolicy,
};

/** Throws the schema's first complaint about `doc`, as the API server would refuse it. */
function validate(doc: Manifest): void {
	const Model = Object.values(Models).find((M) => M.apiVersion === doc.apiVersion && M.kind === doc.kind);
	if (!Model) {
		throw new Error(`${doc.apiVersion} ${doc.kind} has no schema here: add its model to the test`);
	}
	new Model(doc as never).validate();
}

/** The resources kustomization.yaml lists, each file's documents. */
function manifests(): Manifest[] {
	const kustomization = parseAllDocuments(
		readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')
	)[0]!.toJS() as {
		resources: string[];
	};
	return kustomization.resources.flatMap((file) =>
		parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8')).map((d) => d.toJS() as Manifest)
	);
}

/** Every container of the workloads that run the Majlis image (Postgres, Redis and coturn have their own settings). */
function majlisContainers(docs: Manifest[]): Container[] {
	return docs.flatMap((d) => {
		const spec = (d.spec as { template?: { spec: { containers: Container[] } } } | undefined)?.template?.spec;
		return (spec?.containers ?? []).filter((c) => c.image === 'majlis');
	});
}

/** Variables a container gets: its `env` and the data keys of the ConfigMaps it takes with `envFrom`. */
function envOf(container: Container, docs: Manifest[]): string[] {
	const fromMaps = (container.envFrom ?? []).flatMap((source) => {
		const map = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === source.configMapRef?.name);
		return Object.keys((map?.data as Record<string, string> | undefined) ?? {});
	});
	return [...(container.env ?? []).map((e) => e.name), ...fromMaps];
}

/** README's configuration table: variable → the "Used by" column. */
function documented(): Map<string, string> {
	const table = readme.slice(readme.indexOf('| Variable |'));
	const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
	const vars = new Map<string, string>();
	for (const row of rows) {
		const [, names, usedBy] = row.split('|');
		for (const name of names!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) {
			vars.set(name[1]!, usedBy!.trim());
		}
	}
	return vars;
}

/**
 * API or SFU variables the manifests leave at their defaults on purpose: the default is what a cluster wants.
 * Any other documented variable of the API (the launcher: `server`, `api`) or the SFU must be set.
 */
const LEFT_AT_DEFAULT = {
	MEDIASOUP_NUM_WORKERS: 'one worker per core of the node',
	SFU_CAPACITY: 'workers × MEDIASOUP_MAX_CONSUMERS_PER_WORKER',
	MEDIASOUP_WORKER_BIN: 'the image sets it',
	DATA_DIR: 'embedded mode only',
	WEB_DIST: 'the image has web/dist',
	LIMIT_LIVE_ROOMS_PER_USER: 'one live room per host',
	LIMIT_SCHEDULED_ROOMS_PER_USER: 'twenty scheduled rooms per host',
	LOGIN_FAILURES_PER_HANDLE: 'the documented throttle',
	LOGIN_WINDOW_SECONDS: 'the documented throttle',
	LOGIN_MAX_DELAY_SECONDS: 'the documented throttle',
	IDLE_LIVE_ROOM_MS: 'abandoned rooms end after ten minutes',
	IDLE_SWEEP_INTERVAL_MS: 'swept every thirty seconds',
	// Trust (issue #19): the socket cap's default suits browsers; load tests turn it off.
	SFU_MAX_SOCKETS_PER_IP: 'fifty signalling sockets per client address',
	// Integrations (issue #18).
	API_TOKEN_RATE_LIMIT: 'three hundred calls a minute per API token',
	WEBHOOKS_ALLOW_PRIVATE: 'off: webhooks never reach private addresses',
	FEDERATION_ALLOW_PRIVATE: 'off: federation never looks up or delivers to private addresses',
	WEBHOOK_RETRY_BASE_MS: 'the documented backoff (doubling for a day)',
	// Recording (issue #13): files on the API's volume unless the operator configures S3.
	RECORDING_DIR: "captures under the SFU container's working directory",
	RECORDINGS_S3_BUCKET: 'recordings on the API volume unless S3 is configured',
	RECORDINGS_S3_ENDPOINT: 'recordings on the API volume unless S3 is configured',
	RECORDINGS_S3_REGION: 'recordings on the API volume unless S3 is configured',
	RECORDINGS_S3_ACCESS_KEY_ID: 'recordings on the API volume unless S3 is configured',
	RECORDINGS_S3_SECRET_ACCESS_KEY: 'recordings on the API volume unless S3 is configured',
	RECORDINGS_S3_PATH_STYLE: 'recordings on the API volume unless S3 is configured',
	// Reach (issue #14): Web Push stays off until the operator adds VAPID keys to the Secret.
	VAPID_PUBLIC_KEY: 'Web Push off until VAPID keys are added',
	VAPID_PRIVATE_KEY: 'Web Push off until VAPID keys are added',
	VAPID_SUBJECT: 'Web Push off until VAPID keys are added',
	PUSH_ALLOW_LOOPBACK: 'off: push endpoints must be public https',
};

describe('the Kubernetes manifests (infra/k8s)', () => {
	const docs = manifests();

	test.each(docs.map((d) => [`${d.kind} ${d.metadata.name}`, d] as const))(
		'%s matches its Kubernetes schema',
		(_, doc) => {
			expect(() => validate(doc)).not.toThrow();
		}
	);

	test('a wrong field is caught (replicas given as a string)', () => {
		const api = structuredClone(
			docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'majlis-api')!
		);
		(api.spec as { replicas: unknown }).replicas = 'two';
		expect(() => validate(api)).toThrow(/replicas must be integer/);
	});

	// Trust (issue #19): Redis behind a password and a NetworkPolicy; the internal port for SFU nodes only.
	test('Redis requires the Secret password; Redis and the internal port are closed to other pods', () => {
		type Env = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
		type Spec = { template: { spec: { containers: { args?: string[]; env?: Env[] }[] } } };
		const container = (name: string) =>
			(
				docs.find((d) => d.metadata.name === name && d.kind !== 'Service' && d.kind !== 'NetworkPolicy')!
					.spec as Spec
			).template.spec.containers[0]!;
		const redis = container('majlis-redis');
		expect(redis.args).toEqual(expect.arrayContaining(['--requirepass', '$(REDIS_PASSWORD)']));
		expect(redis.env?.find((e) => e.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
			name: 'majlis-secrets',
			key: 'REDIS_PASSWORD',
		});
		const internalPort = container('majlis-api').env?.find((e) => e.name === 'INTERNAL_PORT')?.value;
		expect(container('majlis-sfu').env?.find((e) => e.name === 'API_URL')?.value).toMatch(
			new RegExp(`:${internalPort}$`)
		);
		type Rule = { from?: unknown[]; ports: { port: number }[] };
		const policy = (name: string) =>
			docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === name)!.spec as {
				podSelector: { matchLabels: Record<string, string> };
				ingress: Rule[];
			};
		expect(policy('majlis-redis').podSelector.matchLabels).toEqual({ app: 'majlis-redis' });
		expect(policy('majlis-redis').ingress.every((r) => r.from !== undefined)).toBe(true);
		const toInternal = policy('majlis-api').ingress.filter((r) =>
			r.ports.some((p) => p.port === Number(internalPort))
		);
		expect(toInternal.length).toBeGreaterThan(0);
		expect(toInternal.every((r) => r.from !== undefined)).toBe(true);
	});

	test('every variable they set is in the README configuration table', () => {
		const table = documented();
		const set = majlisContainers(docs).flatMap((c) => envOf(c, docs));
		expect(set.filter((name) => !table.has(name))).toEqual([]);
	});

	test('every API and SFU variable in the README table is set by them or left at its default on purpose', () => {
		const set = new Set(majlisContainers(docs).flatMap((c) => envOf(c, docs)));
		const relevant = [...documented()]
			.filter(([, usedBy]) => /\b(server|api|sfu|all)\b/.test(usedBy))
			.map(([n]) => n);
		expect(relevant.filter((name) => !set.has(name) && !(name in LEFT_AT_DEFAULT))).toEqual([]);
		// An entry for a variable the README no longer documents, or that the manifests now set, is stale.
		expect(Object.keys(LEFT_AT_DEFAULT).filter((name) => !relevant.includes(name) || set.has(name))).toEqual(
			[]
		);
	});
});
