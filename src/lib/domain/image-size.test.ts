import { describe, expect, it } from 'vitest';
import {
	checkImageBudget,
	MAX_IMAGE_SIDE,
	readImageSize,
	readJpegSize,
	readPngSize
} from './image-size';

function u32(n: number): number[] {
	return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** A PNG signature and IHDR chunk (no image data: the header is all that is read). */
function pngHeader(width: number, height: number): Uint8Array {
	return new Uint8Array([
		0x89,
		0x50,
		0x4e,
		0x47,
		0x0d,
		0x0a,
		0x1a,
		0x0a,
		...u32(13),
		0x49,
		0x48,
		0x44,
		0x52,
		...u32(width),
		...u32(height),
		8,
		6,
		0,
		0,
		0,
		0,
		0,
		0,
		0
	]);
}

/** SOI, an APP1 (EXIF-like) segment of `appBytes`, then a start of frame `sof`. */
function jpegHeader(width: number, height: number, sof = 0xc0, appBytes = 16): Uint8Array {
	const appLength = appBytes + 2;
	return new Uint8Array([
		0xff,
		0xd8,
		0xff,
		0xe1,
		appLength >> 8,
		appLength & 0xff,
		...new Array(appBytes).fill(0x45),
		0xff,
		0xdb,
		0,
		4,
		0,
		0, // a (truncated) quantisation table segment
		0xff,
		sof,
		0,
		17,
		8,
		height >> 8,
		height & 0xff,
		width >> 8,
		width & 0xff,
		3,
		1,
		0x22,
		0,
		2,
		0x11,
		1,
		3,
		0x11,
		1,
		0xff,
		0xda,
		0,
		2
	]);
}

describe('PNG dimensions', () => {
	it('reads width and height from IHDR', () => {
		expect(readPngSize(pngHeader(640, 480))).toEqual({ width: 640, height: 480 });
		expect(readPngSize(pngHeader(100_000, 100_000))).toEqual({ width: 100_000, height: 100_000 });
		expect(readImageSize(pngHeader(0xffffffff, 1), 'image/png')?.width).toBe(0xffffffff);
	});

	it('gives nothing for a truncated header or a first chunk that is not IHDR', () => {
		expect(readPngSize(pngHeader(640, 480).subarray(0, 20))).toBeNull();
		const wrong = pngHeader(640, 480);
		wrong[12] = 0x74; // « tEXt » first
		expect(readPngSize(wrong)).toBeNull();
	});
});

describe('JPEG dimensions', () => {
	it('walks the segments up to the start of frame, baseline or progressive', () => {
		expect(readJpegSize(jpegHeader(1024, 768))).toEqual({ width: 1024, height: 768 });
		expect(readJpegSize(jpegHeader(3000, 2000, 0xc2, 4000))).toEqual({ width: 3000, height: 2000 });
		expect(readImageSize(jpegHeader(65535, 65535), 'image/jpeg')).toEqual({
			width: 65535,
			height: 65535
		});
	});

	it('does not take a Huffman table (C4) for a frame', () => {
		const b = jpegHeader(800, 600);
		const dht = new Uint8Array([
			0xff,
			0xd8,
			0xff,
			0xc4,
			0,
			6,
			0,
			0x10,
			0x20,
			0x30,
			...b.subarray(2)
		]);
		expect(readJpegSize(dht)).toEqual({ width: 800, height: 600 });
	});

	it('gives nothing when the scan starts before any frame, or the data is cut or corrupt', () => {
		expect(readJpegSize(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeNull();
		expect(readJpegSize(jpegHeader(800, 600).subarray(0, 30))).toBeNull();
		expect(readJpegSize(new Uint8Array([0xff, 0xd8, 0x00, 0x00, 0xff, 0xc0]))).toBeNull();
		expect(readJpegSize(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 1]))).toBeNull();
	});
});

describe('pixel budget', () => {
	it('accepts ordinary images and refuses bombs with a French message', () => {
		expect(checkImageBudget({ width: 4000, height: 3000 })).toBeNull();
		expect(checkImageBudget({ width: 7000, height: 7000 })).toBeNull();
		const bomb = checkImageBudget({ width: 10_000, height: 10_000 });
		expect(bomb).toContain('trop grande');
		expect(bomb).toContain('10\u202f000 × 10\u202f000'); // French narrow no-break spaces
		expect(checkImageBudget({ width: MAX_IMAGE_SIDE + 1, height: 10 })).toContain('trop grande');
		expect(checkImageBudget(null)).toContain('illisibles');
		expect(checkImageBudget({ width: 800, height: 0 })).toContain('illisibles');
	});
});
