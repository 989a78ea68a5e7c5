export { localWorkerBin } from './workerBin.js';
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
	findHeaderExtension,
	HeaderExtension,
	isRtcp,
	RTP_HEADER_SIZE,
	rtpHeaderLength,
} from './rtpPacket.js';
export { addTotals, RtpSink, type RtpSinkOptions, RtpStreamStats, type SinkTotals } from './RtpSink.js';
export { RtpSpeaker, type RtpSpeakerOptions } from './RtpSpeaker.js';
export { SequenceTracker, SeqVerdict } from './SequenceTracker.js';
export { speechSignal, type SpeechSignal } from './speechSignal.js';
export {
	createSrtpParameters,
	SrtpContext,
	type SrtpCryptoSuite,
	type SrtpParameters,
} from './SrtpContext.js';
export { type HistogramSummary, LogHistogram, lossPercent, summarize } from './stats.js';
