import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate } from './router';

/** Props of {@link Link}. */
export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
	/** In-app path. */
	to: string;
}

/** An anchor that navigates in-app (modified clicks still open new tabs). */
export function Link({ to, onClick, ...rest }: LinkProps) {
	function handleClick(event: MouseEvent<HTMLAnchorElement>) {
		onClick?.(event);
		if (
			event.defaultPrevented ||
			event.button !== 0 ||
			event.metaKey ||
			event.ctrlKey ||
			event.shiftKey ||
			event.altKey
		) {
			return;
		}
		event.preventDefault();
		navigate(to);
	}

	return <a href={to} onClick={handleClick} {...rest} />;
}
