// Compiles the AssemblyScript matmul kernel to matmul.wasm (gitignored); the trainer calls
// ensureKernelBuilt() on first use, and `npx tsx lib/training/kernel/build.ts` rebuilds it by hand.
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const KERNEL_SOURCE = fileURLToPath(new URL("./assembly/matmul.ts", import.meta.url));
export const KERNEL_WASM = fileURLToPath(new URL("./matmul.wasm", import.meta.url));

/** Compiles the kernel (SIMD on, imported memory, no runtime); takes about a second. */
export async function buildKernel(outFile = KERNEL_WASM): Promise<void> {
  const asc = (await import("assemblyscript/asc")).default;
  let binary: Uint8Array | undefined;
  const errors: string[] = [];
  const { error } = await asc.main(
    [KERNEL_SOURCE, "--outFile", "matmul.wasm", "-O3", "--noAssert", "--runtime", "stub",
      "--importMemory", "--enable", "simd", "--noExportMemory"],
    {
      writeFile: (name: string, contents: string | Uint8Array) => {
        if (name.endsWith(".wasm") && typeof contents !== "string") binary = contents;
      },
      stderr: { write: (s: string | Uint8Array) => { errors.push(String(s)); return true; } } as never,
      stdout: { write: () => true } as never,
    },
  );
  if (error || !binary) throw new Error(`kernel build failed: ${error?.message ?? ""}\n${errors.join("")}`);
  // Write then rename: parallel test files or workers may race to build it.
  const tmp = `${outFile}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, binary);
    renameSync(tmp, outFile);
  } finally {
    rmSync(tmp, { force: true });
  }
}

export async function ensureKernelBuilt(): Promise<string> {
  if (!existsSync(KERNEL_WASM)) await buildKernel();
  return KERNEL_WASM;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildKernel();
  console.log(`wrote ${KERNEL_WASM}`);
}
