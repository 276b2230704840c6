// Which hosts a provider URL may reach. Loopback and private ranges are allowed on purpose (self-hosted
// vLLM, Ollama and Kindling's own engines live there); cloud metadata services, link-local and
// "unspecified" addresses never are, in any spelling (IPv4-mapped IPv6, NAT64, trailing dots).
import { isIP } from "node:net";

/** Names of cloud metadata services, refused before any lookup. */
const BLOCKED_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.com",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.platformequinix.com",
  "metadata.tencentyun.com",
]);

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

function ipv4ToInt(address: string): number {
  return address.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
}

function inV4(address: string, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ipv4ToInt(address) & mask) === (ipv4ToInt(base) & mask);
}

function checkIpv4(address: string): AddressVerdict {
  if (inV4(address, "169.254.0.0", 16)) {
    return { allowed: false, reason: `${address} is a link-local address (169.254.0.0/16), where cloud metadata services answer` };
  }
  if (address === "100.100.100.200") return { allowed: false, reason: `${address} is a cloud metadata service address` };
  if (address === "192.0.0.192") return { allowed: false, reason: `${address} is a cloud metadata service address` };
  if (inV4(address, "0.0.0.0", 8)) return { allowed: false, reason: `${address} is an unspecified ("this network") address` };
  if (address === "255.255.255.255") return { allowed: false, reason: `${address} is the broadcast address` };
  if (inV4(address, "224.0.0.0", 4)) return { allowed: false, reason: `${address} is a multicast address` };
  return { allowed: true };
}

/** Expands an IPv6 address (with an optional dotted IPv4 tail) to 8 16-bit groups. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split("%")[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const parse = (s: string) => (s ? s.split(":").map((x) => parseInt(x, 16)) : []);
  if (!text.includes("::")) return parse(text);
  const [head, tail] = text.split("::");
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

function checkIpv6(address: string): AddressVerdict {
  const g = ipv6Groups(address);
  const embeddedV4 = () => `${g[6] >>> 8}.${g[6] & 0xff}.${g[7] >>> 8}.${g[7] & 0xff}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  if ((zeros(0, 5) && g[5] === 0xffff) || (zeros(0, 6) && (g[6] !== 0 || g[7] > 1)) || (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6))) {
    const inner = checkIpv4(embeddedV4());
    return inner.allowed ? inner : { allowed: false, reason: `${address} embeds ${inner.reason}` };
  }
  if (zeros(0, 8)) return { allowed: false, reason: `${address} is the unspecified address` };
  if ((g[0] & 0xffc0) === 0xfe80) return { allowed: false, reason: `${address} is a link-local address (fe80::/10)` };
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && zeros(2, 7) && g[7] === 0x254) {
    return { allowed: false, reason: `${address} is the AWS metadata service address` };
  }
  if ((g[0] & 0xff00) === 0xff00) return { allowed: false, reason: `${address} is a multicast address` };
  return { allowed: true };
}

/** Checks an IP address (v4 or v6, brackets allowed). */
export function checkAddress(address: string): AddressVerdict {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare.split("%")[0]);
  if (family === 4) return checkIpv4(bare);
  if (family === 6) return checkIpv6(bare);
  return { allowed: false, reason: `${address} is not an IP address` };
}

/** Checks a URL host before any lookup: a metadata name, or an IP literal that is refused. */
export function checkHostName(hostname: string): AddressVerdict {
  const name = hostname.toLowerCase().replace(/\.+$/, "").replace(/^\[|\]$/g, "");
  if (isIP(name.split("%")[0])) return checkAddress(name);
  if (BLOCKED_NAMES.has(name)) return { allowed: false, reason: `${name} is a cloud metadata service name` };
  return { allowed: true };
}
