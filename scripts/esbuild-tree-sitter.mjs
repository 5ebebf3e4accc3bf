// esbuild plugin: the rewrites the bundles make to @vscode/tree-sitter-wasm's JavaScript runtime
// (wasm/tree-sitter.js). Each rewrite names the exact text it replaces and the build fails when
// that text is gone, so an upgrade of the package cannot drop one quietly.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The cursor's four words go to and from the wasm transfer buffer on every cursor call (each
 * getter and each move). The runtime writes them one `setValue(ptr, v, "i32")` at a time: a
 * string test and a switch on the type, then a DataView write, per word. Copying a Python
 * file's tree (src/core/python/ast.ts `copyTree`) makes six such calls per node: in a profile of
 * the CLI over the Python corpus, these two functions and their `setValue`/`getValue` were
 * 226 ms of the copy's 463 ms. The replacement reads and writes the memory's Int32Array
 * directly: the same four words at the same addresses, looked up on the module at each call
 * because memory growth replaces the array. `setValue` stores little-endian whatever the host;
 * an Int32Array stores in the host's order, so on a big-endian host the runtime's own code runs.
 */
const CURSOR_MARSHAL = {
  from: `function marshalTreeCursor(cursor, address = TRANSFER_BUFFER) {
  C.setValue(address + 0 * SIZE_OF_INT, cursor[0], "i32");
  C.setValue(address + 1 * SIZE_OF_INT, cursor[1], "i32");
  C.setValue(address + 2 * SIZE_OF_INT, cursor[2], "i32");
  C.setValue(address + 3 * SIZE_OF_INT, cursor[3], "i32");
}`,
  to: `var HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function marshalTreeCursor(cursor, address = TRANSFER_BUFFER) {
  if (HOST_LITTLE_ENDIAN) {
    const heap = C.HEAP32, i = address >> 2;
    heap[i] = cursor[0];
    heap[i + 1] = cursor[1];
    heap[i + 2] = cursor[2];
    heap[i + 3] = cursor[3];
    return;
  }
  C.setValue(address + 0 * SIZE_OF_INT, cursor[0], "i32");
  C.setValue(address + 1 * SIZE_OF_INT, cursor[1], "i32");
  C.setValue(address + 2 * SIZE_OF_INT, cursor[2], "i32");
  C.setValue(address + 3 * SIZE_OF_INT, cursor[3], "i32");
}`,
};

const CURSOR_UNMARSHAL = {
  from: `function unmarshalTreeCursor(cursor) {
  cursor[0] = C.getValue(TRANSFER_BUFFER + 0 * SIZE_OF_INT, "i32");
  cursor[1] = C.getValue(TRANSFER_BUFFER + 1 * SIZE_OF_INT, "i32");
  cursor[2] = C.getValue(TRANSFER_BUFFER + 2 * SIZE_OF_INT, "i32");
  cursor[3] = C.getValue(TRANSFER_BUFFER + 3 * SIZE_OF_INT, "i32");
}`,
  to: `function unmarshalTreeCursor(cursor) {
  if (HOST_LITTLE_ENDIAN) {
    const heap = C.HEAP32, i = TRANSFER_BUFFER >> 2;
    cursor[0] = heap[i];
    cursor[1] = heap[i + 1];
    cursor[2] = heap[i + 2];
    cursor[3] = heap[i + 3];
    return;
  }
  cursor[0] = C.getValue(TRANSFER_BUFFER + 0 * SIZE_OF_INT, "i32");
  cursor[1] = C.getValue(TRANSFER_BUFFER + 1 * SIZE_OF_INT, "i32");
  cursor[2] = C.getValue(TRANSFER_BUFFER + 2 * SIZE_OF_INT, "i32");
  cursor[3] = C.getValue(TRANSFER_BUFFER + 3 * SIZE_OF_INT, "i32");
}`,
};

/** Replaces `from` (which must occur exactly once) with `to`. */
function replaceOnce(text, { from, to }, file) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${file}: expected exactly one '${from.split('\n')[0]}' to rewrite`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * Rewrites tree-sitter.js as it is bundled: always the cursor marshalling above; with
 * `requireBuiltins`, also the two `await import()` calls of Node built-ins, which become
 * require() through the bundle's own `require` (aliased as `__cliRequire` in the CLI bundle's
 * banner: the emscripten code declares a local `require`). Functions restored from a V8 code
 * cache lose vm.Script's dynamic-import callback (Node 20), and the CLI runs from one.
 *
 * @param {{ requireBuiltins?: boolean }} [options]
 * @returns {import('esbuild').Plugin}
 */
export function treeSitterRuntime({ requireBuiltins = false } = {}) {
  return {
    name: 'tree-sitter-runtime',
    setup(build) {
      build.onLoad({ filter: /tree-sitter-wasm[\\/]wasm[\\/]tree-sitter\.js$/ }, async (args) => {
        let text = await readFile(args.path, 'utf8');
        text = replaceOnce(text, CURSOR_MARSHAL, args.path);
        text = replaceOnce(text, CURSOR_UNMARSHAL, args.path);
        if (requireBuiltins) {
          for (const m of ['fs/promises', 'module']) {
            const call = `await import("${m}")`;
            if (!text.includes(call)) throw new Error(`${args.path}: no '${call}' to rewrite`);
            text = text.replaceAll(call, `__cliRequire("${m}")`);
          }
        }
        return { contents: text, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
