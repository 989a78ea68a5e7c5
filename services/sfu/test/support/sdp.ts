// The SDP writing and reading between werift and mediasoup lives in @majlis/loadgen (its WebRTC listener
// bots use it too); re-exported here for the SFU tests.
export {
	type CandidateFilter,
	type LocalSdpInfo,
	parseLocalSdp,
	type RemoteMedia,
	remoteSdp,
	type RtpCodec,
} from '@majlis/loadgen';
