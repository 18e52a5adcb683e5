/**
 * sh-syntax (prettier-plugin-sh's shell parser) and @cdktf/hcl-tools (our `terraform fmt`) both run
 * Go compiled to WASM, and both find their Go runtime as the global `Go` class: sh-syntax's (TinyGo)
 * is set when it is imported and looked up at every call, hcl-tools' (Go) is set when it first
 * formats. Once hcl-tools has started after sh-syntax was imported, sh-syntax would instantiate its
 * WASM with the wrong runtime ("module=wasi_snapshot_preview1 ... is not an object"). So the shell
 * formatter runs with sh-syntax's own runtime put back for the call, and the global restored after.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const requireHere = createRequire(import.meta.url);
const globals = globalThis as { Go?: unknown };
let shSyntaxGo: unknown;

/** sh-syntax's runtime class, loaded once into a variable of ours, the global left as it was. */
function ownGoRuntime(): unknown {
  if (shSyntaxGo !== undefined) return shSyntaxGo;
  const runtime = join(dirname(requireHere.resolve('sh-syntax')), '..', 'vendors', 'wasm_exec.cjs');
  const before = globals.Go;
  delete requireHere.cache[runtime];
  requireHere(runtime);
  shSyntaxGo = globals.Go;
  globals.Go = before;
  return shSyntaxGo;
}

/** Runs `format` (which calls sh-syntax) with sh-syntax's Go runtime as the global `Go`. */
export async function withShSyntaxRuntime<T>(format: () => Promise<T>): Promise<T> {
  const before = globals.Go;
  globals.Go = ownGoRuntime();
  try {
    return await format();
  } finally {
    globals.Go = before;
  }
}
