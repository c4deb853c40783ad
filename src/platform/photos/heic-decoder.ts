import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A decoded image as 8-bit RGBA pixels. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Buffer;
}

/** A photo taking longer than this to decode is refused rather than waited for. */
const DECODE_TIMEOUT_MS = 20_000;
/** Room for a 50-megapixel photo's RGBA pixels and the decoder's own. */
const WORKER_HEAP_MB = 512;

const HEIC_DECODE_MODULE = createRequire(import.meta.url).resolve('heic-decode');

/**
 * The decoder's script for its thread. It is CommonJS (the `heic-decode` package is), so it
 * is evaluated rather than loaded from a file, which also keeps it out of the TypeScript build.
 */
const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.module);
decode({ buffer: workerData.bytes }).then(
  ({ width, height, data }) => parentPort.postMessage({ width, height, data }, [data.buffer]),
  (error) => parentPort.postMessage({ error: String((error && error.message) || error) }),
);
`;

type WorkerAnswer = { width: number; height: number; data: Uint8ClampedArray } | { error: string };

/**
 * Decodes a HEIC photo (HEVC inside HEIF: what iPhones take) with libheif compiled to
 * WebAssembly, which the image library's prebuilt binary lacks for licensing reasons. Each
 * photo is decoded in a thread of its own that ends with it: the decoder's CPU time is off the
 * event loop, and the WebAssembly memory it grows is given back when the thread ends.
 */
export function decodeHeic(bytes: Buffer): Promise<RgbaImage> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT, {
      eval: true,
      workerData: { module: HEIC_DECODE_MODULE, bytes },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('decoding the photo took too long'));
    }, DECODE_TIMEOUT_MS);
    const settle = (): void => {
      clearTimeout(timer);
      void worker.terminate();
    };
    worker.once('message', (answer: WorkerAnswer) => {
      settle();
      if ('error' in answer) {
        reject(new Error(answer.error));
        return;
      }
      const { data } = answer;
      resolve({
        width: answer.width,
        height: answer.height,
        pixels: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      });
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`the photo decoder stopped (${code})`));
    });
  });
}
