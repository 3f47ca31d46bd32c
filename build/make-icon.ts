/**
 * Generates the app icon (build/icon.png, 1024x1024) from the SVG below with sharp, at build time
 * (`npm run build:icon`, part of `npm run dist`): electron-builder derives every platform's sizes
 * (.icns, .ico, the Linux hicolor set) from it. Drawn here rather than committed as a binary: a face
 * outline in a rounded square, with the pixel grid of a photo library behind it.
 */
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

const SIZE = 1024;

export function iconSvg(): string {
  const tiles: string[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      tiles.push(
        `<rect x="${172 + c * 236}" y="${172 + r * 236}" width="208" height="208" rx="28" fill="#ffffff" opacity="0.14"/>`,
      );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2f6f73"/><stop offset="1" stop-color="#1d3b53"/></linearGradient></defs>
  <rect x="64" y="64" width="896" height="896" rx="200" fill="url(#bg)"/>
  ${tiles.join('\n  ')}
  <circle cx="512" cy="430" r="150" fill="#f7f7f5"/>
  <path d="M262 820 C 262 640, 762 640, 762 820 Z" fill="#f7f7f5"/>
  <rect x="300" y="230" width="424" height="424" rx="40" fill="none" stroke="#f2b84b" stroke-width="26"/>
</svg>`;
}

export async function makeIcon(out = new URL('./icon.png', import.meta.url)): Promise<void> {
  const png = await sharp(Buffer.from(iconSvg())).png({ compressionLevel: 9 }).toBuffer();
  writeFileSync(out, png);
}

await makeIcon();
