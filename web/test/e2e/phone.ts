import type { Locator, Page } from 'playwright-core';

/** The phone sizes the layout is checked at: a common 390×844 phone and a small 360 px one. */
export const PHONES = [
	{ width: 390, height: 844 },
	{ width: 360, height: 740 },
] as const;

/**
 * What sticks out sideways: the document scrolls wider than the viewport, or an element's box reaches
 * past either edge (unless an ancestor clips it, e.g. the reactions' floating layer). Empty when it fits.
 */
export function overflow(page: Page, width: number): Promise<string[]> {
	// The phone's own width, not innerWidth: on a mobile viewport a page too wide is zoomed out and
	// innerWidth grows to fit it, which would hide the very overflow looked for.
	return page.evaluate((width) => {
		const found: string[] = [];
		if (document.documentElement.scrollWidth > width) {
			found.push(`document ${document.documentElement.scrollWidth} > ${width}`);
		}
		const clipped = (el: Element): boolean => {
			for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
				if (getComputedStyle(a).overflowX !== 'visible') {
					return true;
				}
			}

			return false;
		};
		for (const el of document.body.querySelectorAll('*')) {
			const box = el.getBoundingClientRect();
			if (box.width === 0 || box.height === 0 || (box.right <= width + 1 && box.left >= -1)) {
				continue;
			}
			if (!clipped(el)) {
				found.push(
					`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`
				);
			}
		}

		if (window.innerWidth !== width) {
			found.push(`innerWidth ${window.innerWidth} ≠ ${width}`);
		}

		return found;
	}, width);
}

/** Where a control is and how big, to check it is in view without scrolling and at least 44×44 px. */
export interface Reach {
	/** Wholly inside the viewport as the page is now. */
	inView: boolean;
	/** Its width and height in CSS px, rounded down. */
	size: [number, number];
	/** Its box and the viewport, for the failure message. */
	where: string;
}

/** Measures `locator` (see {@link Reach}). */
export function reach(locator: Locator): Promise<Reach> {
	return locator.evaluate((el) => {
		const box = el.getBoundingClientRect();

		return {
			// Half a pixel either way is rounding, not overflow.
			inView:
				box.top >= -0.5 &&
				box.left >= -0.5 &&
				box.bottom <= window.innerHeight + 0.5 &&
				box.right <= window.innerWidth + 0.5,
			size: [Math.floor(box.width), Math.floor(box.height)] as [number, number],
			where: `${Math.round(box.left)},${Math.round(box.top)}..${Math.round(box.right)},${Math.round(box.bottom)} in ${window.innerWidth}×${window.innerHeight}`,
		};
	});
}

/**
 * What in the page's main content reaches past either edge of the viewport (looser than
 * {@link overflow}: only boxes under `#main`, against the window's own width). Empty when it fits.
 */
export function overflowingMain(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('#main *')].flatMap((el) => {
			const box = el.getBoundingClientRect();
			return box.width > 0 && (box.right > window.innerWidth + 1 || box.left < -1)
				? [`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`]
				: [];
		})
	);
}
