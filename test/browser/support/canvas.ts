/** The designer's canvas as a mouse meets it: node cards, palette drops, handle-to-handle edges. */
import type { Locator, Page } from 'playwright-core';

/** The node card of `id` on the designer canvas. */
export const card = (page: Page, id: string) => page.getByTestId(`rf__node-${id}`);

/** Drags a palette item onto the canvas (HTML5 drag and drop), dropping it at `at`. */
export async function dropFromPalette(page: Page, type: string, at: { x: number; y: number }) {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), {
    targetPosition: at,
  });
}

/** Drags a connection from the right handle of one node card to the left handle of another. */
export async function connectByHandles(page: Page, from: string, to: string) {
  const centre = async (handle: Locator) => {
    const box = (await handle.boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  const source = await centre(card(page, from).locator('.react-flow__handle.source'));
  const target = await centre(card(page, to).locator('.react-flow__handle.target'));
  await page.mouse.move(source.x, source.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();
}
