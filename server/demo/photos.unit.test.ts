// The demo's PNG encoder: a well-formed file (signature, chunks with valid CRCs, scanlines that
// inflate to the picture), and the same bytes for the same seed.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { demoPhoto, encodePng } from './photos.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The chunks of a PNG, each checked against its CRC. */
function chunks(png: Buffer) {
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    expect(png.readUInt32BE(at + 8 + len), type).toBe(zlib.crc32(png.subarray(at + 4, at + 8 + len)) >>> 0);
    out.push({ type, data });
    at += 12 + len;
  }
  return out;
}

describe('demo photos', () => {
  it('encodes a picture as a PNG whose scanlines inflate back to it', () => {
    const rgb = new Uint8Array(2 * 2 * 3).map((_v, i) => i * 20);
    const png = encodePng(2, 2, rgb);
    expect(png.subarray(0, 8)).toEqual(SIGNATURE);
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([...cs[0]!.data]).toEqual([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
    const raw = zlib.inflateSync(cs[1]!.data);
    expect([...raw]).toEqual([0, ...rgb.subarray(0, 6), 0, ...rgb.subarray(6)]);
  });

  it('draws a 320×240 scene, the same for the same seed, another for another seed or after the clean-up', () => {
    const a = demoPhoto(1001);
    expect(demoPhoto(1001).equals(a)).toBe(true);
    expect(demoPhoto(1002).equals(a)).toBe(false);
    expect(demoPhoto(1001, true).equals(a)).toBe(false);
    expect(a.subarray(0, 8)).toEqual(SIGNATURE);
    const [ihdr, idat] = chunks(a);
    expect([ihdr!.data.readUInt32BE(0), ihdr!.data.readUInt32BE(4)]).toEqual([320, 240]);
    expect(zlib.inflateSync(idat!.data).length).toBe((320 * 3 + 1) * 240);
    // Small, as the seed stores it in the database.
    expect(a.length).toBeLessThan(20_000);
  });
});
