import { createCanvas, loadImage } from 'canvas';

/** One PNG made of PNG panels of the same width, top to bottom, on white. */
export async function stackPanels(panels: readonly Buffer[]): Promise<Buffer> {
  const images = await Promise.all(panels.map((panel) => loadImage(panel)));
  const widthPx = Math.max(...images.map((image) => image.width));
  const heightPx = images.reduce((sum, image) => sum + image.height, 0);
  const canvas = createCanvas(widthPx, heightPx);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, widthPx, heightPx);
  let top = 0;
  for (const image of images) {
    ctx.drawImage(image, 0, top);
    top += image.height;
  }
  return canvas.toBuffer('image/png');
}
