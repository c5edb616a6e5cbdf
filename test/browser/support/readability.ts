/**
 * How readable the cards of a graph are as the browser paints them: for each card, the size
 * its name and its smallest text come out at on screen (font size × the graph's zoom) and
 * whether the whole card lies inside the graph's pane.
 */
import type { Page } from 'playwright-core';

export interface CardReading {
  id: string;
  /** On-screen size of the card's name, in CSS px. */
  namePx: number;
  /** On-screen size of the smallest text on the card, in CSS px. */
  smallestPx: number;
  /** The whole card is inside the pane. */
  inside: boolean;
}

/**
 * The smallest on-screen sizes we call readable: a card's 14 px name, 12 px facts and 11 px
 * uppercase labels at zoom 0.7 (logic/readable.ts READABLE_ZOOM).
 */
export const READABLE_NAME_PX = 9.5;
export const READABLE_TEXT_PX = 7.5;

/** What a graph showed at the moment it said its view was in place (`data-opened`). */
export interface Opening {
  /** The `data-testid`s of the element that said it and of its ancestors. */
  within: string[];
  kind: string;
  /** The cards not wholly inside the graph's pane at that moment. */
  outside: string[];
}

/**
 * From the next page load on, records each graph's opening the moment it says so: a watcher
 * of the attribute runs right after the change is made, before the browser paints or any test
 * step can look, so a view said ready before it is in place is caught every time, not only
 * when a loaded machine happens to delay the next frame.
 */
export async function recordOpenings(page: Page): Promise<void> {
  await page.addInitScript(`(() => {
    window.__openings = [];
    const inside = (rect, box) =>
      rect.left >= box.left - 1 && rect.right <= box.right + 1 &&
      rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
    new MutationObserver((changes) => {
      for (const { target } of changes) {
        const kind = target.getAttribute('data-opened');
        const flow = target.querySelector('.react-flow');
        if (kind === null || flow === null) continue;
        const box = flow.getBoundingClientRect();
        const within = [];
        for (let el = target; el; el = el.parentElement) {
          if (el.dataset.testid) within.push(el.dataset.testid);
        }
        const outside = [...target.querySelectorAll('.react-flow__node')]
          .filter((node) => !inside(node.firstElementChild.getBoundingClientRect(), box))
          .map((node) => node.getAttribute('data-id'));
        window.__openings.push({ within, kind, outside });
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-opened'] });
  })()`);
}

/** The openings recorded (recordOpenings) in the graph inside the element of `testId`. */
export async function openingsIn(page: Page, testId: string): Promise<Opening[]> {
  const all = await page.evaluate<Opening[]>('window.__openings');
  return all.filter((o) => o.within.includes(testId));
}

/** Reads every card of the React Flow graph inside `paneSelector`. */
export async function readCards(page: Page, paneSelector: string): Promise<CardReading[]> {
  // The Node project's typings have no DOM: the page-side code is given as source.
  return page.evaluate<CardReading[]>(`(() => {
    const pane = document.querySelector(${JSON.stringify(paneSelector)});
    const box = pane.querySelector('.react-flow').getBoundingClientRect();
    return [...pane.querySelectorAll('.react-flow__node')].map((node) => {
      const card = node.firstElementChild;
      const rect = card.getBoundingClientRect();
      // offsetWidth is the card's own (unzoomed) width: their ratio is the zoom.
      const scale = rect.width / card.offsetWidth;
      const px = (el) => parseFloat(getComputedStyle(el).fontSize) * scale;
      const name = card.querySelector('.gh-node-name, .gnode-name');
      const texts = [...card.querySelectorAll('*')].filter((el) =>
        [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== ''),
      );
      return {
        id: node.getAttribute('data-id'),
        namePx: px(name),
        smallestPx: Math.min(...texts.map(px)),
        inside:
          rect.left >= box.left - 1 && rect.right <= box.right + 1 &&
          rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1,
      };
    });
  })()`);
}

/** Cards that are not readable, with why: empty when every card is. */
export function unreadable(cards: CardReading[]): string[] {
  return cards.flatMap((c) => {
    const why = [
      c.namePx < READABLE_NAME_PX && `name at ${c.namePx.toFixed(1)} px`,
      c.smallestPx < READABLE_TEXT_PX && `text at ${c.smallestPx.toFixed(1)} px`,
      !c.inside && 'outside the view',
    ].filter(Boolean);
    return why.length > 0 ? [`${c.id}: ${why.join(', ')}`] : [];
  });
}
