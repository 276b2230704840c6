// The data directory holds session tokens, password hashes and the secret: nobody but the
// console's user may read it, whatever the umask. The umask covers files created with open(2),
// but PGlite's file layer (emscripten's NODEFS) also chmods its files, WAL segments included, to
// 0666 explicitly; so chmodSync under a private directory drops group and other bits too.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { processSingleton } from "@/lib/process-singleton";

/** Creates `dir` as 0700, makes what is already inside private, and keeps new files private. */
export function makeDataDirPrivate(dir: string): void {
  try {
    process.umask(0o077);
  } catch {
    // worker threads cannot change it; the console never opens its database in one
  }
  privateRoots().add(path.resolve(dir) + path.sep);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  narrow(dir);
}

function privateRoots(): Set<string> {
  return processSingleton("kindling.private-dirs", () => {
    const roots = new Set<string>();
    const chmodSync = fs.chmodSync;
    const inside = (target: fs.PathLike) => {
      const resolved = path.resolve(String(target));
      return [...roots].some((root) => resolved.startsWith(root) || resolved + path.sep === root);
    };
    fs.chmodSync = (target, mode) => {
      if (!inside(target)) return chmodSync(target, mode);
      return chmodSync(target, (typeof mode === "string" ? Number.parseInt(mode, 8) : mode) & ~0o077);
    };
    // Modules that imported chmodSync by name see the guarded one as well.
    syncBuiltinESMExports();
    return roots;
  });
}

function narrow(target: string): void {
  const stat = fs.lstatSync(target);
  if (stat.isSymbolicLink()) return;
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(target, stat.mode & 0o700);
  if (stat.isDirectory()) for (const name of fs.readdirSync(target)) narrow(path.join(target, name));
}
