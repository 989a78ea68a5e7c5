import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

function Svg({ children, ...props }: IconProps) {
	return (
		<svg
			viewBox="0 0 24 24"
			width="1em"
			height="1em"
			fill="none"
			stroke="currentColor"
			strokeWidth={2}
			strokeLinecap="round"
			strokeLinejoin="round"
			aria-hidden="true"
			focusable="false"
			{...props}
		>
			{children}
		</svg>
	);
}

/** The Majlis mark. */
export function Logo(props: IconProps) {
	return (
		<svg viewBox="0 0 32 32" width="1.75em" height="1.75em" aria-hidden="true" focusable="false" {...props}>
			<rect width="32" height="32" rx="9" fill="var(--accent)" />
			<path
				d="M16 7a4 4 0 0 0-4 4v5a4 4 0 0 0 8 0v-5a4 4 0 0 0-4-4zm-7 9a7 7 0 0 0 6 6.9V26h2v-3.1A7 7 0 0 0 23 16h-2a5 5 0 0 1-10 0z"
				fill="#fff"
			/>
		</svg>
	);
}

/** Microphone. */
export function MicIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<rect x="9" y="3" width="6" height="11" rx="3" />
			<path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
		</Svg>
	);
}

/** Microphone with a slash (muted). */
export function MicOffIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<path d="M15 9.3V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 5.1 2.1M19 11a7 7 0 0 1-1.2 3.9M5 11a7 7 0 0 0 11.3 5.5M12 18v3M3 3l18 18" />
		</Svg>
	);
}

/** Raised hand. */
export function HandIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<path d="M18 11V6a2 2 0 0 0-4 0v5M14 10V4a2 2 0 0 0-4 0v6M10 10.5V6a2 2 0 0 0-4 0v8" />
			<path d="M18 8a2 2 0 0 1 4 0v6a8 8 0 0 1-8 8h-2c-2.8 0-4.5-.9-6-2.4l-3.6-3.6a2 2 0 0 1 2.8-2.8L7 15" />
		</Svg>
	);
}

/** People (listeners). */
export function UsersIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2" />
			<circle cx="9" cy="7" r="4" />
			<path d="M22 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8" />
		</Svg>
	);
}

/** Link (share). */
export function LinkIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" />
			<path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
		</Svg>
	);
}

/** Speaker (audio). */
export function VolumeIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<path d="M11 5 6 9H2v6h4l5 4V5z" />
			<path d="M15.5 8.5a5 5 0 0 1 0 7M19 5a10 10 0 0 1 0 14" />
		</Svg>
	);
}

/** Calendar (scheduled). */
export function CalendarIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<rect x="3" y="4" width="18" height="18" rx="2" />
			<path d="M16 2v4M8 2v4M3 10h18" />
		</Svg>
	);
}

/** Door (leave). */
export function LeaveIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9" />
		</Svg>
	);
}

/** Three dots (more actions; the phone layout's bottom bar). */
export function MoreIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<circle cx="5" cy="12" r="1.5" />
			<circle cx="12" cy="12" r="1.5" />
			<circle cx="19" cy="12" r="1.5" />
		</Svg>
	);
}

/** Speech bubble (chat; the phone layout's bottom bar). */
export function ChatIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" />
		</Svg>
	);
}

/** A gear (account settings; an icon alone in the phone header). */
export function SettingsIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<circle cx="12" cy="12" r="3" />
			<path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
		</Svg>
	);
}

/** A bell (notifications). */
export function BellIcon(props: IconProps) {
	return (
		<Svg {...props}>
			<path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
			<path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
		</Svg>
	);
}
