import type { Sharp } from 'sharp';

export interface Avatar {
  data: Buffer;
  contentType: string;
  resized: boolean;
}

const MAX_BYTES = 5 * 1024 * 1024;
const SIZE = 256;
const ACCEPTED = new Map([
  ['ffd8ff', 'image/jpeg'],
  ['89504e', 'image/png'],
  ['524946', 'image/webp'],
]);

type SharpFactory = (input: Buffer) => Sharp;

let loader: Promise<SharpFactory | null> | undefined;

// sharp is an optional peer dependency: with it avatars are cropped to
// 256x256 WebP; without it they are stored as uploaded. Only a missing module
// means "not installed"; any other failure while loading it is a real error.
function loadSharp(): Promise<SharpFactory | null> {
  loader ??= import('sharp').then(
    (mod) => mod.default as unknown as SharpFactory,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ERR_MODULE_NOT_FOUND') return null;
      throw err;
    },
  );
  return loader;
}

function sniff(data: Buffer): string | undefined {
  return ACCEPTED.get(data.subarray(0, 3).toString('hex'));
}

export async function prepareAvatar(data: Buffer): Promise<Avatar> {
  if (data.length === 0 || data.length > MAX_BYTES) {
    throw new RangeError(`avatar must be between 1 byte and ${MAX_BYTES} bytes`);
  }
  const contentType = sniff(data);
  if (!contentType) throw new TypeError('avatar must be a JPEG, PNG or WebP image');
  const sharp = await loadSharp();
  if (!sharp) return { data, contentType, resized: false };
  const out = await sharp(data).rotate().resize(SIZE, SIZE, { fit: 'cover' }).webp({ quality: 82 }).toBuffer();
  return { data: out, contentType: 'image/webp', resized: true };
}
