// Small real photos for the demo's events, drawn and encoded here (PNG through node:zlib's deflate and
// CRC-32), so the seed needs no image library and the same seed always gives the same bytes.
import zlib from 'node:zlib';
import { prng } from './names.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
type Rgb = readonly [number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  // The CRC covers the type and the data.
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

/** An 8-bit truecolour PNG of `rgb` (width × height × 3 bytes, row by row). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * 3;
  // Each scanline starts with its filter byte: 0, none.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // truecolour; compression, filter and interlace stay 0
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const LITTER: readonly Rgb[] = [
  [60, 50, 40],
  [200, 200, 195],
  [40, 90, 160],
  [170, 60, 50],
  [90, 120, 60],
];
const W = 320;
const H = 240;

/**
 * A street scene, 320×240: sky, a row of buildings with windows, the road. `seed` picks the scene;
 * `after` draws the same scene once the problem was dealt with: where the report's photo has a heap
 * of litter, the feedback's shows a clean pavement and a green bin.
 */
export function demoPhoto(seed: number, after = false): Buffer {
  const r = prng(seed);
  const px = new Uint8Array(W * H * 3);
  const rect = (x0: number, y0: number, x1: number, y1: number, c: Rgb) => {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(H, Math.ceil(y1)); y++)
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(W, Math.ceil(x1)); x++)
        px.set(c, (y * W + x) * 3);
  };
  const mix = (a: Rgb, b: Rgb, f: number): Rgb =>
    [0, 1, 2].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * f)) as unknown as Rgb;
  const horizon = Math.round(H * (0.5 + r() * 0.1));
  // Sky: a vertical gradient, clear or overcast.
  const [skyTop, skyLow]: [Rgb, Rgb] =
    r() < 0.7
      ? [
          [70, 130, 200],
          [190, 220, 240],
        ]
      : [
          [130, 140, 150],
          [200, 205, 210],
        ];
  for (let y = 0; y < horizon; y++) rect(0, y, W, y + 1, mix(skyTop, skyLow, y / horizon));
  // Buildings along the street, each with a grid of windows.
  for (let x = -Math.floor(r() * 30); x < W;) {
    const w = 40 + Math.floor(r() * 50);
    const top = horizon - 40 - Math.floor(r() * 70);
    const wall: Rgb = mix([180, 170, 160], [230, 225, 215], r());
    rect(x, top, x + w - 4, horizon, wall);
    for (let wy = top + 8; wy < horizon - 14; wy += 16)
      for (let wx = x + 6; wx < x + w - 14; wx += 14)
        rect(wx, wy, wx + 7, wy + 9, r() < 0.2 ? [250, 230, 150] : [90, 110, 130]);
    x += w;
  }
  // Pavement, kerb and road.
  const kerb = horizon + 30;
  for (let y = horizon; y < kerb; y++)
    rect(0, y, W, y + 1, mix([185, 180, 170], [160, 155, 148], (y - horizon) / 30));
  rect(0, kerb, W, kerb + 4, [120, 120, 118]);
  for (let y = kerb + 4; y < H; y++)
    rect(0, y, W, y + 1, mix([95, 95, 100], [60, 60, 66], (y - kerb) / (H - kerb)));
  for (let x = 10; x < W; x += 60) rect(x, H - 30, x + 30, H - 25, [235, 235, 225]);
  // The problem on the pavement, or what is left once it was dealt with.
  const cx = 60 + Math.floor(r() * (W - 140));
  if (!after) {
    for (let i = 0; i < 40; i++) {
      const x = cx + r() * 70;
      const y = horizon + 4 + r() * 24;
      const c = LITTER[Math.floor(r() * LITTER.length)]!;
      rect(x, y, x + 4 + r() * 12, y + 3 + r() * 8, c);
    }
  } else {
    rect(cx + 25, horizon + 2, cx + 43, horizon + 26, [40, 130, 70]);
    rect(cx + 23, horizon, cx + 45, horizon + 4, [30, 100, 55]);
  }
  return encodePng(W, H, px);
}
