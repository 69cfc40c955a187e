/** Validation of OpenSSH public keys given for the bastions' EC2 key pair (no dependencies: the config schema uses it too). */

/** Key types EC2 can import, as they start an OpenSSH public key line. */
export const PUBLIC_KEY_TYPES = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"] as const;

/** Smallest RSA modulus accepted, in bits (NIST SP 800-131A; EC2 also takes 1024, we do not). */
export const MIN_RSA_BITS = 2048;

/**
 * Why `key` is not an OpenSSH public key EC2 can import, or undefined when it is one.
 * Checks the `<type> <base64 body> [comment]` shape and that the body is a key of that type
 * (its first field names the same type; RSA keys have at least MIN_RSA_BITS bits).
 */
export function publicKeyProblem(key: string): string | undefined {
  if (/PRIVATE KEY/.test(key)) {
    return "is a PRIVATE key: never put a private key in the repository; give the public half (the one-line .pub file, e.g. ~/.ssh/id_ed25519.pub), and remove the private key from this file and from the git history";
  }
  const expected = `an OpenSSH public key line "<type> <base64> [comment]" with type ${PUBLIC_KEY_TYPES.join(", ")} (the .pub file)`;
  const m = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: [^\r\n]*)?$/.exec(key.trim());
  if (!m) return `must be ${expected}`;
  const [, type, body] = m;
  if (!(PUBLIC_KEY_TYPES as readonly string[]).includes(type)) return `has key type "${type.slice(0, 40)}": must be ${expected}`;
  const blob = Buffer.from(body, "base64");
  const fields: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    if (at + 4 > blob.length) return "has a truncated or corrupted base64 body: copy the whole line of the .pub file";
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return "has a truncated or corrupted base64 body: copy the whole line of the .pub file";
    fields.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  if (fields.length < 2 || fields[0].toString("latin1") !== type) return `has a body that is not a ${type} key: copy the whole line of the .pub file`;
  if (type === "ssh-rsa") {
    const n = fields[2] ?? Buffer.alloc(0);
    const first = n.findIndex((b) => b !== 0);
    const bits = first < 0 ? 0 : (n.length - first - 1) * 8 + (32 - Math.clz32(n[first]));
    if (bits < MIN_RSA_BITS) return `is a ${bits}-bit RSA key: use at least ${MIN_RSA_BITS} bits, or better an ed25519 key (ssh-keygen -t ed25519)`;
  }
  return undefined;
}
