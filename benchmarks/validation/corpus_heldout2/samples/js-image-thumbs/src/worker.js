'use strict';

const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
const sharp = require('sharp');

const SIZES = [
  { suffix: 'sm', width: 160 },
  { suffix: 'md', width: 480 },
  { suffix: 'lg', width: 1280 },
];

const ALLOWED = new Set(['image/jpeg', 'image/png', 'image/webp']);

const s3 = new S3Client({ region: process.env.AWS_REGION || 'eu-central-1' });
const bucket = process.env.THUMB_BUCKET;

async function streamToBuffer(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function thumbKey(key, suffix) {
  const dot = key.lastIndexOf('.');
  const base = dot === -1 ? key : key.slice(0, dot);
  return `thumbs/${base}-${suffix}.webp`;
}

async function fetchOriginal(key) {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!ALLOWED.has(object.ContentType)) {
    throw new Error(`${key}: unsupported content type ${object.ContentType}`);
  }
  return streamToBuffer(object.Body);
}

async function renderAll(original) {
  const meta = await sharp(original).metadata();
  return Promise.all(
    SIZES.filter((s) => s.width < (meta.width || Infinity)).map(async (size) => ({
      suffix: size.suffix,
      body: await sharp(original).rotate().resize({ width: size.width }).webp({ quality: 78 }).toBuffer(),
    })),
  );
}

async function processKey(key) {
  const original = await fetchOriginal(key);
  const rendered = await renderAll(original);
  rendered.forEach((thumb) => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: thumbKey(key, thumb.suffix),
        Body: thumb.body,
        ContentType: 'image/webp',
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
  });
  return rendered.map((t) => thumbKey(key, t.suffix));
}

async function handler(event) {
  const results = [];
  for (const record of event.Records || []) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    if (key.startsWith('thumbs/')) continue;
    try {
      results.push({ key, thumbs: await processKey(key) });
    } catch (err) {
      console.error(`thumbnail failed for ${key}:`, err);
      results.push({ key, error: err.message });
    }
  }
  return { processed: results.length, results };
}

module.exports = { handler, thumbKey };
