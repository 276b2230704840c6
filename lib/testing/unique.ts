// Names no other test run uses, so tests on a shared database never collide.
let n = 0;

/** `<prefix>-<time in base 36>-<counter>`, e.g. "two-m3k9x1a2-0". */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;
