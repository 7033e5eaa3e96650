// Runs a Python program on the MicroPython webassembly port (wasm32: 32-bit
// pointers and object headers, as on an ESP32 or a Pico W).
//
//     node runner.mjs --heap BYTES [--dir HOSTDIR:/VFSDIR]... PROGRAM.py
//
// Each --dir copies a host folder, recursively, into the port's in-memory
// Emscripten filesystem (MEMFS); the program then imports from there as a
// board does from its flash. What the program prints goes to stdout; an
// uncaught Python exception goes to stderr, the rest is not run, and the
// exit status is 1. bench/wasm32/run.py drives this; it is not part of the
// agent.
//
// Garbage: this port cannot scan the wasm stack, so it never collects
// inside a call from JS (gc.collect() there only marks a collection as due)
// and grows its heap instead when an allocation fails. It collects when the
// outermost call returns. So a program is cut at lines that are exactly
// "#@top": each part runs as its own top-level call, and garbage is
// collected between parts (names defined by one part stay for the next).

import fs from "fs";
import path from "path";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";

function usage(msg) {
  process.stderr.write(`runner.mjs: ${msg}\nusage: node runner.mjs --heap BYTES [--dir HOST:/VFS]... PROGRAM.py\n`);
  process.exit(2);
}

function copyInto(FS, host, dest) {
  try { FS.mkdir(dest); } catch (e) { /* exists */ }
  for (const name of fs.readdirSync(host)) {
    const src = path.join(host, name);
    const to = dest.replace(/\/$/, "") + "/" + name;
    if (fs.statSync(src).isDirectory()) copyInto(FS, src, to);
    else FS.writeFile(to, fs.readFileSync(src));
  }
}

let heap = null;
const dirs = [];
let program = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--heap") heap = parseInt(argv[++i], 10);
  else if (argv[i] === "--dir") {
    const spec = argv[++i] || "";
    const at = spec.lastIndexOf(":");
    if (at <= 0) usage(`--dir wants HOST:/VFS, got ${spec}`);
    dirs.push([spec.slice(0, at), spec.slice(at + 1)]);
  } else if (program === null) program = argv[i];
  else usage(`unexpected argument ${argv[i]}`);
}
if (!(heap > 0) || program === null) usage("give --heap and a program");

const out = (data) => process.stdout.write(data);
const mp = await loadMicroPython({ heapsize: heap, stdout: out, stderr: out, linebuffer: false });
for (const [host, dest] of dirs) copyInto(mp.FS, host, dest);
try {
  for (const part of fs.readFileSync(program, "utf8").split(/^#@top$/m)) mp.runPython(part);
} catch (error) {
  if (error.name !== "PythonError") throw error;
  if (error.type !== "SystemExit") {
    process.stderr.write(error.message.endsWith("\n") ? error.message : error.message + "\n");
    process.exitCode = 1;
  }
}
