// SDP between a werift RTCPeerConnection and a mediasoup WebRtcTransport, written from the parameters the
// SFU sends over signalling (what mediasoup-client's RemoteSdp does in a browser). Shared by the load
// generator's WebRTC listeners and the SFU's WebRTC tests.
import type { ConsumerInfo, TransportInfo } from '@majlis/protocol';

/** mediasoup ICE parameters as sent in `transport:create`. */
interface IceParameters {
	usernameFragment: string;
	password: string;
}
/** mediasoup ICE candidate as sent in `transport:create`. */
interface IceCandidate {
	foundation: string;
	priority: number;
	address: string;
	protocol: 'udp' | 'tcp';
	port: number;
	type: string;
	tcpType?: string;
}
/** mediasoup DTLS parameters as sent in `transport:create`. */
interface DtlsParameters {
	fingerprints: { algorithm: string; value: string }[];
}

/** A codec in mediasoup RTP parameters. */
export interface RtpCodec {
	mimeType: string;
	payloadType: number;
	clockRate: number;
	channels?: number;
	parameters?: Record<string, unknown>;
}

/** One m-section of the remote description built from mediasoup's side. */
export interface RemoteMedia {
	mid: string;
	/** `recvonly` (mediasoup receives our producer) or `sendonly` (it sends a consumer), or `inactive`. */
	direction: 'recvonly' | 'sendonly' | 'inactive';
	codec: RtpCodec;
	headerExtensions: { uri: string; id: number }[];
	/** For consumers: the SSRC and CNAME mediasoup sends with. */
	ssrc?: number;
	cname?: string;
}

/**
 * The m-section that receives a consumer, from the RTP parameters the SFU sent with it (`mid` falls back
 * to `fallbackMid` when the SFU gave none).
 */
export function consumerMedia(consumer: ConsumerInfo, fallbackMid: string): RemoteMedia {
	const rtp = consumer.rtpParameters as {
		mid?: string;
		codecs: RtpCodec[];
		headerExtensions?: { uri: string; id: number }[];
		encodings: { ssrc: number }[];
		rtcp?: { cname?: string };
	};
	return {
		mid: rtp.mid ?? fallbackMid,
		direction: 'sendonly',
		codec: rtp.codecs[0]!,
		headerExtensions: rtp.headerExtensions ?? [],
		ssrc: rtp.encodings[0]?.ssrc,
		cname: rtp.rtcp?.cname,
	};
}

/** Which candidates to offer the local ICE agent (to force UDP or the TCP fallback). */
export type CandidateFilter = 'udp' | 'tcp' | 'all';

/**
 * Writes the remote SDP that stands for a mediasoup WebRtcTransport (ICE-lite, its ICE and DTLS
 * parameters, BUNDLE over every m-section): what mediasoup-client's RemoteSdp does in the browser.
 * `setup` is mediasoup's DTLS role in SDP terms: `passive` in an answer (we are the DTLS client),
 * `actpass` in an offer (we answer `active`).
 */
export function remoteSdp(
	transport: TransportInfo,
	media: RemoteMedia[],
	setup: 'passive' | 'actpass',
	candidates: CandidateFilter = 'all',
	version = 1
): string {
	const ice = transport.iceParameters as unknown as IceParameters;
	const dtls = transport.dtlsParameters as unknown as DtlsParameters;
	const fingerprint = dtls.fingerprints.find((f) => f.algorithm === 'sha-256') ?? dtls.fingerprints[0]!;
	const cands = (transport.iceCandidates as unknown as IceCandidate[]).filter(
		(c) => candidates === 'all' || c.protocol === candidates
	);
	const lines = [
		'v=0',
		`o=mediasoup 1000 ${version} IN IP4 0.0.0.0`,
		's=-',
		't=0 0',
		'a=ice-lite',
		`a=group:BUNDLE ${media.map((m) => m.mid).join(' ')}`,
		'a=msid-semantic: WMS *',
		`a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`,
	];
	for (const m of media) {
		const { codec } = m;
		const [, name] = codec.mimeType.split('/');
		const fmtp = Object.entries(codec.parameters ?? {})
			.map(([k, v]) => `${k}=${String(v)}`)
			.join(';');
		const first = cands[0];
		lines.push(
			`m=audio ${first?.port ?? 7} UDP/TLS/RTP/SAVPF ${codec.payloadType}`,
			`c=IN IP4 ${first?.address ?? '127.0.0.1'}`,
			'a=rtcp:9 IN IP4 0.0.0.0',
			`a=ice-ufrag:${ice.usernameFragment}`,
			`a=ice-pwd:${ice.password}`,
			'a=ice-options:renomination',
			`a=setup:${setup}`,
			`a=mid:${m.mid}`,
			`a=${m.direction}`,
			`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${codec.channels && codec.channels > 1 ? `/${codec.channels}` : ''}`,
			...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
			...m.headerExtensions.map((e) => `a=extmap:${e.id} ${e.uri}`),
			'a=rtcp-mux',
			'a=rtcp-rsize'
		);
		if (m.ssrc !== undefined) {
			lines.push(`a=msid:stream-${m.mid} track-${m.mid}`, `a=ssrc:${m.ssrc} cname:${m.cname ?? 'mediasoup'}`);
		}
		for (const c of cands) {
			const tcp = c.protocol === 'tcp' ? ` tcptype ${c.tcpType ?? 'passive'}` : '';
			lines.push(
				`a=candidate:${c.foundation} 1 ${c.protocol} ${c.priority} ${c.address} ${c.port} typ ${c.type}${tcp}`
			);
		}
		lines.push('a=end-of-candidates');
	}

	return `${lines.join('\r\n')}\r\n`;
}

/** What a local (werift) description says about itself. */
export interface LocalSdpInfo {
	fingerprint: { algorithm: string; value: string };
	/** `active` or `passive` from the first m-section. */
	setup: string;
	media: {
		mid: string;
		payloadTypes: Map<string, number>;
		extensions: Map<string, number>;
		ssrc?: number;
		cname?: string;
	}[];
}

/** Reads fingerprint, DTLS setup and per-m-section mid, codecs, extensions and SSRC from an SDP. */
export function parseLocalSdp(sdp: string): LocalSdpInfo {
	let fingerprint: LocalSdpInfo['fingerprint'] | undefined;
	let setup = '';
	const media: LocalSdpInfo['media'] = [];
	for (const line of sdp.split(/\r?\n/)) {
		const current = media.at(-1);
		if (line.startsWith('m=')) {
			media.push({ mid: '', payloadTypes: new Map(), extensions: new Map() });
		} else if (line.startsWith('a=fingerprint:')) {
			const [algorithm, value] = line.slice('a=fingerprint:'.length).split(' ');
			fingerprint ??= { algorithm: algorithm!, value: value! };
		} else if (line.startsWith('a=setup:')) {
			setup ||= line.slice('a=setup:'.length);
		} else if (current && line.startsWith('a=mid:')) {
			current.mid = line.slice('a=mid:'.length);
		} else if (current && line.startsWith('a=rtpmap:')) {
			const [pt, codec] = line.slice('a=rtpmap:'.length).split(' ');
			current.payloadTypes.set(codec!.split('/')[0]!.toLowerCase(), Number(pt));
		} else if (current && line.startsWith('a=extmap:')) {
			const [id, uri] = line.slice('a=extmap:'.length).split(' ');
			current.extensions.set(uri!, Number.parseInt(id!, 10));
		} else if (current && line.startsWith('a=ssrc:') && current.ssrc === undefined) {
			const match = /^a=ssrc:(\d+) cname:(.+)$/.exec(line);
			if (match) {
				current.ssrc = Number(match[1]);
				current.cname = match[2];
			}
		}
	}
	if (!fingerprint) {
		throw new Error('local SDP without a fingerprint');
	}

	return { fingerprint, setup, media };
}
