import { useEffect, useRef, useState } from 'react';
import { type MessageKey, useT } from '../../../i18n';
import {
	diagnoseUpstream,
	diagnoseVoice,
	isPoor,
	type UpstreamCounters,
	type UpstreamHealth,
	type VoiceCounters,
	type VoiceHealth,
	voiceRates,
} from '../lib/diagnosis';
import type { RoomClient } from '../RoomClient';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

// Rates are taken over two polls (about 2 s): with Opus DTX a silent speaker sends a packet only every
// 400 ms, so one second could show none by chance.
const POLL_MS = 1000;
const WINDOW = 2;
// The server's speaking indicator counts as "heard" for this long after it was last on.
const HEARD_MS = 5000;

interface Sample {
	transportConnected: boolean;
	voices: VoiceCounters[];
	upstream: UpstreamCounters | null;
}

/** What the panel shows and the report copies. */
export interface Diagnosis {
	/** When it was made (ISO). */
	at: string;
	/** Receive transport connected. */
	transportConnected: boolean;
	/** One entry per voice on stage but this client. */
	voices: (VoiceHealth & { displayName: string })[];
	/** This client's way up, while on stage. */
	upstream: UpstreamHealth | null;
}

function useDiagnosis(client: RoomClient, active: boolean): Diagnosis | null {
	const stage = useRoomStore((s) => s.live?.stage ?? []);
	const selfId = useRoomStore((s) => s.live?.self.userId ?? null);
	const speaking = useRoomStore((s) => s.live?.speaking ?? []);
	const heard = useRef(new Map<string, number>());
	const history = useRef<Sample[]>([]);
	const [tick, setTick] = useState(0);

	useEffect(() => {
		const now = performance.now();
		for (const id of speaking) {
			heard.current.set(id, now);
		}
	}, [speaking]);

	useEffect(() => {
		if (!active) {
			history.current = [];

			return;
		}
		let cancelled = false;
		const poll = () =>
			client.getDiagnosticSample().then(
				(sample) => {
					if (!cancelled) {
						history.current = [...history.current, sample].slice(-(WINDOW + 1));
						setTick((n) => n + 1);
					}
				},
				() => undefined
			);
		void poll();
		const timer = setInterval(poll, POLL_MS);

		return () => {
			cancelled = true;
			clearInterval(timer);
		};
	}, [client, active]);

	const samples = history.current;
	const current = samples.at(-1);
	if (!active || !current || tick === 0) {
		return null;
	}
	const previous = samples.length > 1 ? samples[0] : undefined;
	const now = performance.now();
	const rated = current.voices.map((counters) => ({
		counters,
		rates: voiceRates(
			previous?.voices.find((v) => v.userId === counters.userId),
			counters
		),
	}));
	const voices = stage
		.filter((m) => m.userId !== selfId)
		.map((member) => {
			const mine = rated.find((r) => r.counters.userId === member.userId);
			const otherVoiceArriving = rated.some(
				(r) => r.counters.userId !== member.userId && (r.rates?.packetsPerSecond ?? 0) > 0
			);
			const rates = mine?.rates ?? null;
			const verdict = diagnoseVoice(
				{
					userId: member.userId,
					muted: member.muted,
					hasAudio: member.hasAudio,
					recentlySpeaking: now - (heard.current.get(member.userId) ?? -Infinity) < HEARD_MS,
				},
				rates,
				mine?.counters,
				{ transportConnected: current.transportConnected, otherVoiceArriving }
			);

			return {
				userId: member.userId,
				displayName: member.displayName,
				verdict,
				packetsPerSecond: rates?.packetsPerSecond ?? 0,
				kbps: rates?.kbps ?? 0,
				lossPercent: rates?.lossPercent ?? 0,
				jitterMs: rates?.jitterMs ?? 0,
				level: rates?.level ?? 0,
				poor: verdict === 'receiving' && rates !== null && isPoor(rates),
			};
		});
	const upstream = current.upstream
		? diagnoseUpstream(previous?.upstream ?? undefined, current.upstream)
		: null;

	return { at: new Date().toISOString(), transportConnected: current.transportConnected, voices, upstream };
}

const VERDICT_KEYS: Record<VoiceHealth['verdict'], MessageKey> = {
	checking: 'diag.verdict.checking',
	receiving: 'diag.verdict.receiving',
	muted: 'diag.verdict.muted',
	notReachingYou: 'diag.verdict.notReachingYou',
	notReachingServer: 'diag.verdict.notReachingServer',
};

const UPSTREAM_KEYS: Record<UpstreamHealth['verdict'], MessageKey> = {
	checking: 'diag.verdict.checking',
	sending: 'diag.up.sending',
	muted: 'diag.up.muted',
	notSending: 'diag.up.notSending',
};

function fixed(value: number, digits = 0): string {
	return value.toFixed(digits);
}

/**
 * "Connection diagnostics": for each voice on stage, whether its packets arrive (packets/s, jitter,
 * loss, level) and a plain verdict; for a speaker, their own way up (bitrate, loss and round trip from
 * RTCP). "Copy diagnostic report" puts the same as JSON on the clipboard for support.
 */
export function DiagnosticsPanel() {
	const t = useT();
	const client = useRoomClient();
	const roomId = useRoomStore((s) => s.live?.room.id ?? null);
	const role = useRoomStore((s) => s.live?.self.role ?? null);
	const [open, setOpen] = useState(false);
	const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
	// Where the clipboard is refused (no permission, plain http on a LAN), the report is shown to copy by hand.
	const [manual, setManual] = useState<string | null>(null);
	const diagnosis = useDiagnosis(client, open);

	async function copy() {
		const report = JSON.stringify(
			{ kind: 'majlis-diagnostics', roomId, role, userAgent: navigator.userAgent, ...diagnosis },
			null,
			2
		);
		try {
			await navigator.clipboard.writeText(report);
			setCopied('copied');
			setManual(null);
		} catch {
			setCopied('failed');
			setManual(report);
		}
	}

	return (
		<details className="panel details diagnostics" onToggle={(e) => setOpen(e.currentTarget.open)}>
			<summary>{t('diag.title')}</summary>
			{diagnosis && (
				<>
					{diagnosis.upstream && (
						<p className="diag-upstream">
							<strong>{t('diag.up.title')}</strong>{' '}
							<span>{t(UPSTREAM_KEYS[diagnosis.upstream.verdict])}</span>
							{diagnosis.upstream.poor && <span> · {t('diag.poor')}</span>}
							<span dir="ltr" className="diag-numbers">
								{' '}
								{t('diag.kbps', { n: fixed(diagnosis.upstream.kbps) })} ·{' '}
								{t('diag.loss', { n: fixed(diagnosis.upstream.lossPercent, 1) })} ·{' '}
								{diagnosis.upstream.roundTripMs === null
									? t('diag.rttUnknown')
									: t('diag.rtt', { n: fixed(diagnosis.upstream.roundTripMs) })}
							</span>
						</p>
					)}
					{diagnosis.voices.length === 0 ? (
						<p>{t('diag.noVoices')}</p>
					) : (
						<table className="stats diag-table">
							<caption className="sr-only">{t('diag.voices')}</caption>
							<thead>
								<tr>
									<th scope="col">{t('diag.col.voice')}</th>
									<th scope="col">{t('diag.col.verdict')}</th>
									<th scope="col">{t('diag.col.packets')}</th>
									<th scope="col">{t('diag.col.jitter')}</th>
									<th scope="col">{t('diag.col.loss')}</th>
									<th scope="col">{t('diag.col.level')}</th>
								</tr>
							</thead>
							<tbody>
								{diagnosis.voices.map((v) => (
									<tr key={v.userId} data-verdict={v.verdict}>
										<th scope="row">
											<bdi>{v.displayName}</bdi>
										</th>
										<td>
											{t(VERDICT_KEYS[v.verdict])}
											{v.poor && ` · ${t('diag.poor')}`}
										</td>
										<td dir="ltr">{fixed(v.packetsPerSecond)}</td>
										<td dir="ltr">{fixed(v.jitterMs)}</td>
										<td dir="ltr">{fixed(v.lossPercent, 1)}</td>
										<td dir="ltr">{fixed(v.level, 2)}</td>
									</tr>
								))}
							</tbody>
						</table>
					)}
					<div className="diag-actions">
						<button type="button" className="button" onClick={() => void copy()}>
							{t('diag.copy')}
						</button>
						<span role="status">
							{copied === 'copied' ? t('diag.copied') : copied === 'failed' ? t('diag.copyFailed') : ''}
						</span>
					</div>
					{manual !== null && (
						<textarea
							className="diag-report"
							readOnly
							value={manual}
							aria-label={t('diag.report')}
							rows={8}
							dir="ltr"
						/>
					)}
				</>
			)}
		</details>
	);
}
