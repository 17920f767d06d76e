// The postMessage contract between the iframe page and embed.js. embed.js is built from its own
// entry with no imports at run time, so it copies these constants in at build time.

export const HEIGHT_MESSAGE = 'chatd:height';

export interface HeightMessage {
  type: typeof HEIGHT_MESSAGE;
  height: number;
}

/** Heights embed.js accepts, in CSS pixels: enough for the composer, never a page-swallowing frame. */
export const MIN_FRAME_HEIGHT = 240;
export const MAX_FRAME_HEIGHT = 2000;

export function isHeightMessage(data: unknown): data is HeightMessage {
  if (typeof data !== 'object' || data === null) {
    return false;
  }
  const m = data as Record<string, unknown>;
  return m.type === HEIGHT_MESSAGE && typeof m.height === 'number' && Number.isFinite(m.height);
}

export function clampHeight(h: number): number {
  return Math.min(MAX_FRAME_HEIGHT, Math.max(MIN_FRAME_HEIGHT, Math.ceil(h)));
}
