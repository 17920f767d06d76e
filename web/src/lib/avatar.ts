// Avatars are `style:seed` strings drawn locally as SVG: no image is ever fetched, so an avatar can
// neither track the reader nor carry content from elsewhere.

export const AVATAR_STYLES = ['ring', 'beam', 'pixel', 'sunset'] as const;
export type AvatarStyle = (typeof AVATAR_STYLES)[number];

export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string; rx?: number }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: string; stroke?: string; strokeWidth?: number }
  | { kind: 'path'; d: string; fill: string };

export interface AvatarDrawing {
  style: AvatarStyle;
  /** Shapes in a 0..64 viewBox, back to front. */
  shapes: Shape[];
}

const PALETTE = [
  '#e4572e', '#f3a712', '#29335c', '#669bbc', '#a8c686', '#8e44ad', '#16a085', '#d35400',
  '#c0392b', '#2c3e50', '#f1c40f', '#27ae60', '#e67e22', '#3498db', '#9b59b6', '#1abc9c',
];

/** xmur3-style string hash feeding a mulberry32 generator: small, fast, and the same everywhere. */
function rng(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function parseAvatar(avatar: string): { style: AvatarStyle; seed: string } {
  const colon = avatar.indexOf(':');
  const style = colon > 0 ? avatar.slice(0, colon) : '';
  const seed = colon > 0 ? avatar.slice(colon + 1) : avatar;
  const known = (AVATAR_STYLES as readonly string[]).includes(style) ? (style as AvatarStyle) : 'ring';
  return { style: known, seed };
}

export function drawAvatar(avatar: string): AvatarDrawing {
  const { style, seed } = parseAvatar(avatar);
  const r = rng(`${style}:${seed}`);
  const pick = () => PALETTE[Math.floor(r() * PALETTE.length)] ?? '#888888';
  const shapes: Shape[] = [];
  switch (style) {
    case 'ring': {
      shapes.push({ kind: 'rect', x: 0, y: 0, w: 64, h: 64, fill: pick() });
      for (let ring = 0; ring < 3; ring++) {
        shapes.push({ kind: 'circle', cx: 32, cy: 32, r: 26 - ring * 8, fill: 'none', stroke: pick(), strokeWidth: 6 });
      }
      shapes.push({ kind: 'circle', cx: 32, cy: 32, r: 4, fill: pick() });
      break;
    }
    case 'beam': {
      shapes.push({ kind: 'rect', x: 0, y: 0, w: 64, h: 64, fill: pick() });
      const face = pick();
      const dx = Math.round(r() * 12 - 6);
      shapes.push({ kind: 'rect', x: 12 + dx, y: 12, w: 40, h: 40, rx: 8 + Math.round(r() * 12), fill: face });
      const eye = '#1b1b1b';
      const ey = 26 + Math.round(r() * 6);
      shapes.push({ kind: 'circle', cx: 25 + dx, cy: ey, r: 3, fill: eye });
      shapes.push({ kind: 'circle', cx: 39 + dx, cy: ey, r: 3, fill: eye });
      const smile = 4 + Math.round(r() * 6);
      shapes.push({ kind: 'path', d: `M${24 + dx} ${ey + 10} q${8} ${smile} ${16} 0 z`, fill: eye });
      break;
    }
    case 'pixel': {
      const bg = pick();
      const fg = pick();
      shapes.push({ kind: 'rect', x: 0, y: 0, w: 64, h: 64, fill: bg });
      // A 5x5 grid mirrored left to right, like the classic identicon.
      for (let y = 0; y < 5; y++) {
        for (let x = 0; x < 3; x++) {
          if (r() < 0.5) {
            continue;
          }
          shapes.push({ kind: 'rect', x: 4 + x * 11.2, y: 4 + y * 11.2, w: 11.2, h: 11.2, fill: fg });
          if (x < 2) {
            shapes.push({ kind: 'rect', x: 4 + (4 - x) * 11.2, y: 4 + y * 11.2, w: 11.2, h: 11.2, fill: fg });
          }
        }
      }
      break;
    }
    case 'sunset': {
      const bands = [pick(), pick(), pick(), pick()];
      bands.forEach((fill, i) => shapes.push({ kind: 'rect', x: 0, y: i * 16, w: 64, h: 16, fill }));
      shapes.push({ kind: 'circle', cx: 20 + Math.round(r() * 24), cy: 34, r: 10 + Math.round(r() * 6), fill: pick() });
      shapes.push({ kind: 'rect', x: 0, y: 44, w: 64, h: 20, fill: pick() });
      break;
    }
  }
  return { style, shapes };
}

const SEED_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export function randomSeed(randomBytes: (n: number) => Uint8Array, length = 10): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) {
    s += SEED_CHARS[b & 63];
  }
  return s;
}
