// s3rver ships no types: the part of its API the S3 store's test uses.
declare module 's3rver' {
	/** A local S3-compatible server (objects in `directory`). */
	// biome-ignore lint/style/noDefaultExport: it describes the module as s3rver exports it
	export default class S3rver {
		constructor(options: {
			address?: string;
			port?: number;
			directory: string;
			silent?: boolean;
			configureBuckets?: { name: string; configs: string[] }[];
		});
		/** Starts listening; resolves with the bound address. */
		run(): Promise<{ address: string; port: number }>;
		/** Stops listening. */
		close(): Promise<void>;
	}
}
