export { type ChromiumJoin, ChromiumListeners } from './ChromiumListeners.js';
export { nowUs, readNtpTimestampUs, writeNtpTimestamp } from './clock.js';
export { parseOggPackets } from './oggPackets.js';
export {
	dtxFlags,
	encodeOggOpus,
	INACTIVE_DBOV,
	loadOpusPackets,
	type OpusPacketList,
	type OpusPacketsOptions,
} from './opusPackets.js';
export { type Paced, Pacer, type PacerOptions } from './Pacer.js';
export {
	closeListener,
	consumeToSink,
	LISTENER_RTP_CAPABILITIES,
	type ListenerEndpoint,
	OPUS_CODEC,
	produceFromSpeaker,
	type SpeakerEndpoint,
} from './plainTransports.js';
export {
	addTotals,
	RtpSink,
	type RtpSinkOptions,
	RtpStreamStats,
	type SinkTotals,
	streamTotals,
} from './RtpSink.js';
export { RtpSpeaker, type RtpSpeakerOptions } from './RtpSpeaker.js';
export { rest } from './rest.js';
export {
	findHeaderExtension,
	HeaderExtension,
	isRtcp,
	RTP_HEADER_SIZE,
	rtpHeaderLength,
} from './rtpPacket.js';
export { SequenceTracker, SeqVerdict } from './SequenceTracker.js';
export {
	ApiProcess,
	ChildService,
	type LaunchOptions,
	SfuProcess,
} from './ServiceProcess.js';
export { SignallingClient, SignallingError } from './SignallingClient.js';
export {
	createSrtpParameters,
	SrtpContext,
	type SrtpCryptoSuite,
	type SrtpParameters,
} from './SrtpContext.js';
export {
	type CandidateFilter,
	type LocalSdpInfo,
	parseLocalSdp,
	type RemoteMedia,
	type RtpCodec,
	remoteSdp,
} from './sdp.js';
export { type SpeechSignal, speechSignal } from './speechSignal.js';
export {
	type HistogramSummary,
	InterarrivalJitter,
	LogHistogram,
	lossPercent,
	percentile,
	summarize,
} from './stats.js';
export {
	sendTimeUs,
	WEBRTC_LISTENER_RTP_CAPABILITIES,
	WebRtcListener,
	type WebRtcListenerOptions,
	type WebRtcStream,
} from './WebRtcListener.js';
export { type WebRtcRecvOptions, WebRtcRecvTransport } from './WebRtcRecvTransport.js';
export {
	OPUS_SILENCE_FRAME,
	type SignallingChannel,
	WEBRTC_RECV_RTP_CAPABILITIES,
	type WebRtcConsumer,
	WebRtcSendTransport,
} from './WebRtcTransports.js';
export { localWorkerBin } from './workerBin.js';
