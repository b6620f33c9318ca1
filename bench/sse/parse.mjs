// The reference for bench/sse_bench: eventsource-parser fed the same file in the same chunks,
// through a streaming TextDecoder as a browser's EventSource reads a response. Prints one JSON
// line: the median MB/s over the runs, and the events and data characters it saw (which the
// C++ side compares with its own, so both parsed the same stream).
//   node parse.mjs FILE CHUNK_BYTES RUNS
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';

const [file, chunkArg, runsArg] = process.argv.slice(2);
const bytes = readFileSync(file);
const chunk = Number(chunkArg);
const runs = Number(runsArg);
const chunks = [];
for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));

let events = 0;
let dataChars = 0;
function once() {
  events = 0;
  dataChars = 0;
  const parser = createParser({
    onEvent(event) {
      events += 1;
      dataChars += event.data.length;
    },
  });
  const decoder = new TextDecoder();
  const start = process.hrtime.bigint();
  for (const c of chunks) parser.feed(decoder.decode(c, { stream: true }));
  parser.feed(decoder.decode());
  return Number(process.hrtime.bigint() - start) / 1e9;
}

once(); // warm up the JIT, as the C++ side warms its caches
const seconds = [];
for (let i = 0; i < runs; ++i) seconds.push(once());
seconds.sort((a, b) => a - b);
const median = seconds[Math.floor(seconds.length / 2)];
console.log(JSON.stringify({ mb_per_s: bytes.length / 1e6 / median, events, data_chars: dataChars }));
