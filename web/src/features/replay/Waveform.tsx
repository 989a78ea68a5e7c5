import type { RecordingPeaks } from '@majlis/protocol';
import type { MouseEvent } from 'react';
import { useT } from '../../i18n';

const BARS = 160;

// The peaks resampled to a fixed number of bars (the loudest of each group), 0–1.
function bars(peaks: RecordingPeaks): number[] {
	const values = peaks.peaks;
	if (values.length === 0) {
		return [];
	}
	const per = Math.max(1, values.length / BARS);
	const out: number[] = [];
	for (let i = 0; i < Math.min(BARS, values.length); i++) {
		const group = values.slice(
			Math.floor(i * per),
			Math.max(Math.floor(i * per) + 1, Math.floor((i + 1) * per))
		);
		out.push(Math.max(...group) / 255);
	}

	return out;
}

/**
 * The waveform of the mix, the part already played in the accent colour. A click seeks there (pointer
 * users); keyboard and screen reader users have the position slider, so the picture itself is an image.
 */
export function Waveform({
	peaks,
	progress,
	onSeek,
}: {
	peaks: RecordingPeaks;
	progress: number;
	onSeek(fraction: number): void;
}) {
	const t = useT();
	const values = bars(peaks);
	const width = values.length * 3;

	function click(event: MouseEvent<SVGSVGElement>) {
		const box = event.currentTarget.getBoundingClientRect();
		// The waveform runs left to right in both languages, as time does on the slider's track.
		onSeek(Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)));
	}

	return (
		// biome-ignore lint/a11y/useKeyWithClickEvents: the position slider is the keyboard's way to seek.
		<svg
			className="waveform"
			viewBox={`0 0 ${Math.max(1, width)} 40`}
			preserveAspectRatio="none"
			role="img"
			aria-label={t('replay.waveform')}
			onClick={click}
		>
			{values.map((v, i) => {
				const h = Math.max(1, v * 38);
				return (
					<rect
						// biome-ignore lint/suspicious/noArrayIndexKey: bars are positions, never reordered.
						key={i}
						x={i * 3}
						y={20 - h / 2}
						width={2}
						height={h}
						className={i / values.length < progress ? 'waveform-played' : 'waveform-rest'}
					/>
				);
			})}
		</svg>
	);
}
