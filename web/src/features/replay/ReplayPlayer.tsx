import type { RecordingPeaks, RecordingTimeline } from '@majlis/protocol';
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useT } from '../../i18n';
import { formatClock } from './duration';
import { SpeakerTimeline } from './SpeakerTimeline';
import { speakerTurns, speakingAt } from './speakerTurns';
import { Waveform } from './Waveform';

/** The speeds offered. */
export const SPEEDS = [1, 1.25, 1.5, 2] as const;
const SKIP_S = 15;

/**
 * A recording's player: play/pause, ±15 s, a position slider, the speed, the waveform and the speakers.
 * The `<audio>` element plays the mix through range requests; this component only drives it. Media
 * controls run left to right in Arabic too (they stand for time, not reading order).
 */
export function ReplayPlayer({
	audioUrl,
	durationMs,
	timeline,
	peaks,
}: {
	audioUrl: string;
	durationMs: number;
	timeline: RecordingTimeline | null;
	peaks: RecordingPeaks | null;
}) {
	const t = useT();
	const audio = useRef<HTMLAudioElement>(null);
	const [playing, setPlaying] = useState(false);
	const [atMs, setAtMs] = useState(0);
	const [speed, setSpeed] = useState<number>(1);
	const [totalMs, setTotalMs] = useState(durationMs);
	const speedId = useId();
	const positionId = useId();
	const keysId = useId();
	const speakers = useMemo(() => (timeline ? speakerTurns(timeline) : []), [timeline]);
	const speakingNow = useMemo(
		() => (timeline && playing ? speakingAt(timeline, atMs) : new Set<string>()),
		[timeline, atMs, playing]
	);

	useEffect(() => {
		const el = audio.current;
		if (el) {
			el.playbackRate = speed;
		}
	}, [speed]);

	function seek(ms: number) {
		const el = audio.current;
		const to = Math.min(Math.max(0, ms), totalMs);
		if (el) {
			el.currentTime = to / 1000;
		}
		setAtMs(to);
	}

	function toggle() {
		const el = audio.current;
		if (!el) {
			return;
		}
		if (el.paused) {
			el.playbackRate = speed;
			void el.play().catch(() => setPlaying(false));
		} else {
			el.pause();
		}
	}

	function onKeyDown(event: KeyboardEvent<HTMLElement>) {
		const target = event.target as HTMLElement;
		// Form controls keep their own keys (Space on a button presses it, arrows move the slider).
		if (target.closest('input, select, button, textarea')) {
			return;
		}
		const key = event.key.toLowerCase();
		if (key === ' ' || key === 'k') {
			toggle();
		} else if (key === 'j') {
			seek(atMs - SKIP_S * 1000);
		} else if (key === 'l') {
			seek(atMs + SKIP_S * 1000);
		} else {
			return;
		}
		event.preventDefault();
	}

	const at = formatClock(atMs);
	const total = formatClock(totalMs);

	return (
		<section className="panel replay-player" aria-label={t('replay.player')} onKeyDown={onKeyDown}>
			{/* biome-ignore lint/a11y/useMediaCaption: a speech replay; the speaker timeline says who speaks when. */}
			<audio
				ref={audio}
				src={audioUrl}
				preload="metadata"
				onPlay={() => setPlaying(true)}
				onPause={() => setPlaying(false)}
				onEnded={() => setPlaying(false)}
				onTimeUpdate={(e) => setAtMs(Math.round(e.currentTarget.currentTime * 1000))}
				onLoadedMetadata={(e) => {
					const d = e.currentTarget.duration;
					if (Number.isFinite(d) && d > 0) {
						setTotalMs(Math.round(d * 1000));
					}
				}}
			/>
			<div className="replay-time" dir="ltr">
				<span>{at}</span>
				<span aria-hidden="true"> / </span>
				<span>{total}</span>
			</div>
			{peaks && (
				<Waveform
					peaks={peaks}
					progress={totalMs > 0 ? atMs / totalMs : 0}
					onSeek={(f) => seek(f * totalMs)}
				/>
			)}
			<div className="replay-position" dir="ltr">
				<label htmlFor={positionId} className="sr-only">
					{t('replay.position')}
				</label>
				<input
					id={positionId}
					type="range"
					min={0}
					max={Math.max(1, Math.round(totalMs / 1000))}
					step={1}
					value={Math.round(atMs / 1000)}
					aria-valuetext={t('replay.positionValue', { at, total })}
					aria-describedby={keysId}
					onChange={(e) => seek(Number(e.target.value) * 1000)}
				/>
			</div>
			<div className="replay-controls" dir="ltr">
				<button type="button" className="button" onClick={() => seek(atMs - SKIP_S * 1000)}>
					<span aria-hidden="true">↺ </span>
					<span className="replay-skip-label">{t('replay.back15')}</span>
				</button>
				<button type="button" className="button button-primary button-large replay-play" onClick={toggle}>
					{playing ? t('replay.pause') : t('replay.play')}
				</button>
				<button type="button" className="button" onClick={() => seek(atMs + SKIP_S * 1000)}>
					<span className="replay-skip-label">{t('replay.forward15')}</span>
					<span aria-hidden="true"> ↻</span>
				</button>
				<span className="replay-speed">
					<label htmlFor={speedId}>{t('replay.speed')}</label>
					<select id={speedId} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
						{SPEEDS.map((s) => (
							<option key={s} value={s}>
								{s}×
							</option>
						))}
					</select>
				</span>
			</div>
			<p id={keysId} className="muted replay-keys">
				{t('replay.keys')}
			</p>
			<h2 className="panel-title">{t('replay.speakers')}</h2>
			<SpeakerTimeline
				speakers={speakers}
				durationMs={totalMs}
				speakingNow={speakingNow}
				onJump={(ms) => {
					seek(ms);
					if (audio.current?.paused) {
						toggle();
					}
				}}
			/>
		</section>
	);
}
