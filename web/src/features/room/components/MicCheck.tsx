import { useEffect, useId, useState } from 'react';
import { useModalDialog } from '../../../components/useModalDialog';
import { useT } from '../../../i18n';
import {
	canChooseOutput,
	micConstraints,
	preferredMic,
	preferredOutput,
	setPreferredMic,
	setPreferredOutput,
} from '../lib/micDevice';
import { useRoomClient } from '../RoomClientContext';
import { useMicStore } from '../stores/useMicStore';
import { useRoomStore } from '../stores/useRoomStore';

const CHECK_CONSTRAINTS: MediaStreamConstraints = {
	audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
	video: false,
};

/** A level 0..1 from an analyser (RMS of the waveform, scaled so speech reaches the upper half). */
function levelOf(analyser: AnalyserNode, buffer: Float32Array<ArrayBuffer>): number {
	analyser.getFloatTimeDomainData(buffer);
	let sum = 0;
	for (const sample of buffer) {
		sum += sample * sample;
	}

	return Math.min(1, Math.sqrt(sum / buffer.length) * 4);
}

/** Calls `onLevel` about 10 times a second with the level of `track`; returns the cleanup. */
export function meterTrack(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
	const context = new AudioContext();
	const source = context.createMediaStreamSource(new MediaStream([track]));
	const analyser = context.createAnalyser();
	analyser.fftSize = 1024;
	source.connect(analyser);
	const buffer = new Float32Array(analyser.fftSize);
	// A timer, not requestAnimationFrame: it keeps running (slower) in a hidden tab and stays cheap.
	const timer = setInterval(() => onLevel(levelOf(analyser, buffer)), 100);

	return () => {
		clearInterval(timer);
		source.disconnect();
		void context.close().catch(() => undefined);
	};
}

function useDevices(kind: MediaDeviceKind, ready: boolean): MediaDeviceInfo[] {
	const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
	useEffect(() => {
		if (!ready || !navigator.mediaDevices?.enumerateDevices) {
			return;
		}
		const list = () =>
			navigator.mediaDevices.enumerateDevices().then(
				(all) => setDevices(all.filter((d) => d.kind === kind && d.deviceId !== '')),
				() => undefined
			);
		void list();
		navigator.mediaDevices.addEventListener('devicechange', list);

		return () => navigator.mediaDevices.removeEventListener('devicechange', list);
	}, [kind, ready]);

	return devices;
}

/**
 * "Check microphone": a dialog with the microphone picker and a live level meter, the output picker
 * where the browser can choose one, and Save. On stage, a new microphone is switched in at once. It
 * opens its own stream, so it works before coming on stage (from the invitation) as well.
 */
export function MicCheck({ label }: { label?: string }) {
	const t = useT();
	const client = useRoomClient();
	const onStage = useRoomStore((s) => s.live?.self.onStage ?? false);
	const titleId = useId();
	const micId = useId();
	const outputId = useId();
	const [open, setOpen] = useState(false);
	const ref = useModalDialog(open);
	const [mic, setMic] = useState(preferredMic);
	const [output, setOutput] = useState(preferredOutput);
	const [level, setLevel] = useState(0);
	const [error, setError] = useState(false);
	const [ready, setReady] = useState(false);
	const mics = useDevices('audioinput', ready);
	const outputs = useDevices('audiooutput', ready && canChooseOutput());

	// The output chosen in an earlier check applies to this room as well.
	useEffect(() => {
		const chosen = preferredOutput();
		if (chosen && canChooseOutput()) {
			void client.setOutputDevice(chosen).catch(() => false);
		}
	}, [client]);

	// While open, a stream of the chosen microphone feeds the meter (the room's own track stays as is).
	useEffect(() => {
		if (!open) {
			return;
		}
		let stopped = false;
		let cleanup: (() => void) | null = null;
		let stream: MediaStream | null = null;
		setError(false);
		navigator.mediaDevices
			?.getUserMedia(micConstraints(CHECK_CONSTRAINTS, mic))
			.then((s) => {
				stream = s;
				const track = s.getAudioTracks()[0];
				if (stopped || !track) {
					for (const tr of s.getTracks()) {
						tr.stop();
					}

					return;
				}
				setReady(true);
				cleanup = meterTrack(track, setLevel);
			})
			.catch(() => !stopped && setError(true));

		return () => {
			stopped = true;
			cleanup?.();
			for (const tr of stream?.getTracks() ?? []) {
				tr.stop();
			}
			setLevel(0);
		};
	}, [open, mic]);

	async function save() {
		setPreferredMic(mic);
		setPreferredOutput(output);
		setOpen(false);
		if (canChooseOutput()) {
			await client.setOutputDevice(output).catch(() => false);
		}
		if (onStage) {
			await client.switchMicrophone(mic).catch(() => undefined);
		}
	}

	const percent = Math.round(level * 100);

	return (
		<>
			<button type="button" className="button" onClick={() => setOpen(true)}>
				{label ?? t('micCheck.open')}
			</button>
			<dialog
				ref={ref}
				className="dialog mic-check"
				aria-labelledby={titleId}
				onClose={() => setOpen(false)}
				onCancel={(e) => {
					e.preventDefault();
					setOpen(false);
				}}
			>
				<h2 id={titleId} className="dialog-title">
					{t('micCheck.title')}
				</h2>
				{open && (
					<>
						<p className="mic-check-hint">{t('micCheck.hint')}</p>
						<label htmlFor={micId}>{t('micCheck.microphone')}</label>
						<select id={micId} value={mic} onChange={(e) => setMic(e.currentTarget.value)}>
							<option value="">{t('micCheck.default')}</option>
							{mics.map((d, i) => (
								<option key={d.deviceId} value={d.deviceId}>
									{d.label || t('micCheck.unnamed', { n: i + 1 })}
								</option>
							))}
						</select>
						<div className="mic-check-meter">
							<span id={`${micId}-level`}>{t('micCheck.level')}</span>
							<meter
								aria-labelledby={`${micId}-level`}
								min={0}
								max={100}
								low={10}
								high={90}
								optimum={50}
								value={percent}
							>
								{percent}%
							</meter>
						</div>
						{error && (
							<p className="mic-check-error" role="alert">
								{t('micCheck.error')}
							</p>
						)}
						{canChooseOutput() && (
							<>
								<label htmlFor={outputId}>{t('micCheck.output')}</label>
								<select id={outputId} value={output} onChange={(e) => setOutput(e.currentTarget.value)}>
									<option value="">{t('micCheck.default')}</option>
									{outputs.map((d, i) => (
										<option key={d.deviceId} value={d.deviceId}>
											{d.label || t('micCheck.unnamed', { n: i + 1 })}
										</option>
									))}
								</select>
							</>
						)}
					</>
				)}
				<div className="dialog-actions">
					<button type="button" className="button button-quiet" onClick={() => setOpen(false)}>
						{t('room.close')}
					</button>
					<button type="button" className="button button-primary" onClick={() => void save()}>
						{t('micCheck.save')}
					</button>
				</div>
			</dialog>
		</>
	);
}

// Speech is louder than this for this long: the speaker is talking, not the room's hum.
const VOICE_LEVEL = 0.12;
const VOICE_MS = 600;
const HINT_MS = 5000;

/**
 * "You are muted": shown for a few seconds when the speaker talks into a muted microphone. It listens to
 * a clone of the room's track (the muted original carries silence), on this device only.
 */
export function MutedSpeechHint() {
	const t = useT();
	const client = useRoomClient();
	const muted = useRoomStore((s) => (s.live?.self.onStage ? s.live.self.muted : false));
	const micOn = useMicStore((s) => s.status === 'on');
	const [shown, setShown] = useState(false);

	useEffect(() => {
		const track = muted && micOn ? client.micTrack : null;
		if (!track || track.readyState === 'ended') {
			setShown(false);

			return;
		}
		const copy = track.clone();
		copy.enabled = true;
		let loudSince = 0;
		let hideTimer: ReturnType<typeof setTimeout> | undefined;
		const stop = meterTrack(copy, (level) => {
			const now = performance.now();
			if (level < VOICE_LEVEL) {
				loudSince = 0;

				return;
			}
			loudSince ||= now;
			if (now - loudSince >= VOICE_MS) {
				setShown(true);
				clearTimeout(hideTimer);
				hideTimer = setTimeout(() => setShown(false), HINT_MS);
			}
		});

		return () => {
			stop();
			clearTimeout(hideTimer);
			copy.stop();
		};
	}, [client, muted, micOn]);

	return (
		<p className="muted-hint" role="status">
			{shown && muted ? t('micCheck.mutedHint') : ''}
		</p>
	);
}
