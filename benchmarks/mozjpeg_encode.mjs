// Encode raw RGBA pictures with mozjpeg (npm's @jsquash/jpeg, a WebAssembly build of it).
//
// Used by benchmarks/bench_tables.py, which starts node once per picture:
//
//     node benchmarks/mozjpeg_encode.mjs < jobs.json > results.json
//
// jobs.json: {"jobs": [{"input": "picture.rgba", "width": 512, "height": 512,
//                       "output": "q30.jpg", "options": {"quality": 30, ...}}, ...]}
// where "input" holds width * height * 4 bytes (R, G, B, A, row by row) and "options" are
// @jsquash/jpeg's encode options (the package's meta.js lists them and their defaults; those
// not given keep their default). Each JPEG is written to its "output"; stdout gets
// {"@jsquash/jpeg": "<its version>", "results": [{"output": ..., "bytes": ..., "seconds": ...}, ...]},
// "seconds" being the time of the encode call alone (no start-up, no file I/O).
// Any error: a message on stderr and exit status 1.
//
// The package is installed with `npm install --prefix benchmarks/node` (`make benchmark`
// does it); its loader fetches the .wasm file by URL, which Node cannot, so it is read from
// the package folder here and handed to init().

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "node", "node_modules", "@jsquash", "jpeg");

function fail(message) {
  process.stderr.write(`mozjpeg_encode.mjs: ${message}\n`);
  process.exit(1);
}

function describe(thing) {
  if (thing instanceof Error) return thing.message;
  try {
    return JSON.stringify(thing) ?? String(thing);
  } catch {
    return String(thing);
  }
}

async function loadEncoder() {
  let wasm, encodeModule;
  try {
    wasm = readFileSync(join(packageDir, "codec", "enc", "mozjpeg_enc.wasm"));
    encodeModule = await import(pathToFileURL(join(packageDir, "encode.js")).href);
  } catch (error) {
    fail(`@jsquash/jpeg is not installed in ${join(here, "node")} ` +
         `(run: npm install --prefix benchmarks/node): ${error.message}`);
  }
  await encodeModule.init(await WebAssembly.compile(wasm));
  return encodeModule.default;
}

function packageVersion() {
  const require = createRequire(import.meta.url);
  return require(join(packageDir, "package.json")).version;
}

async function main() {
  let jobs;
  try {
    jobs = JSON.parse(readFileSync(0, "utf8")).jobs;
  } catch (error) {
    fail(`could not read the jobs (JSON on stdin): ${error.message}`);
  }
  if (!Array.isArray(jobs)) fail('the JSON on stdin has no list "jobs"');
  const encode = await loadEncoder();
  const pixels = new Map(); // input path -> its bytes, read once for all its jobs
  const results = [];
  for (const job of jobs) {
    const { input, width, height, output, options = {} } = job;
    if (!pixels.has(input)) pixels.set(input, new Uint8ClampedArray(readFileSync(input)));
    const data = pixels.get(input);
    if (data.length !== width * height * 4) {
      fail(`${input}: ${data.length} bytes, expected ${width} x ${height} x 4 = ${width * height * 4}`);
    }
    const start = performance.now();
    let buffer;
    try {
      buffer = await encode({ data, width, height }, options);
    } catch (error) {
      buffer = error; // libjpeg's message is on stderr already
    }
    const seconds = (performance.now() - start) / 1000;
    // On some libjpeg errors the module returns the message instead of the bytes.
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) {
      fail(`encoding ${input} with ${JSON.stringify(options)} failed: ${describe(buffer)}`);
    }
    writeFileSync(output, new Uint8Array(buffer));
    results.push({ output, bytes: buffer.byteLength, seconds });
  }
  process.stdout.write(JSON.stringify({ "@jsquash/jpeg": packageVersion(), results }) + "\n");
}

main().catch((error) => fail(error instanceof Error ? error.stack : describe(error)));
