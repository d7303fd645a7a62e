// Public host keys as known_hosts and `ssh-keyscan` write them: "<type> <base64 blob> [comment]".
// One parser, used by `check` (a malformed pinned key is refused in preview) and by the
// transport (which compares the key a server presents with the one pinned or recorded).

const KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ssh-dss",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

export const HOST_KEY_FORM =
  "'<type> <base64>' as ssh-keyscan prints it, e.g. 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA...'";

/** The length-prefixed fields of a wire-format key blob, or undefined when they do not fill it exactly. */
function blobFields(blob: Uint8Array): Uint8Array[] | undefined {
  const fields: Uint8Array[] = [];
  for (let at = 0; at < blob.length;) {
    if (at + 4 > blob.length) return undefined;
    const n = ((blob[at]! << 24) | (blob[at + 1]! << 16) | (blob[at + 2]! << 8) | blob[at + 3]!) >>> 0;
    if (at + 4 + n > blob.length) return undefined;
    fields.push(blob.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return fields;
}

/** The key type a wire-format key blob names, when the blob is whole (type first, then its key fields). */
export function blobKeyType(blob: Uint8Array): string | undefined {
  const fields = blobFields(blob);
  if (!fields || fields.length < 2 || fields[0]!.length === 0) return undefined;
  const type = String.fromCharCode(...fields[0]!);
  if (type.endsWith("ed25519") && fields[1]!.length !== 32) return undefined;
  return type;
}

/**
 * "type base64" from a key written with or without a leading host field and a trailing comment,
 * or an error saying what is wrong. The blob must decode and name the same type.
 */
export function parseHostKey(
  text: string,
): { ok: true; key: string; type: string } | { ok: false; error: string } {
  const parts = text.trim().split(/\s+/);
  const i = parts.findIndex((p) => (KEY_TYPES as readonly string[]).includes(p));
  if (i < 0) return { ok: false, error: `no known key type (${KEY_TYPES.join(", ")})` };
  const type = parts[i]!;
  const data = parts[i + 1];
  if (!data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0)
    return { ok: false, error: `the ${type} key data is missing or not base64` };
  const blob = Buffer.from(data, "base64");
  const inner = blobKeyType(blob);
  if (inner !== type)
    return {
      ok: false,
      error: `the key data is not a ${type} key${inner ? ` (it says ${inner})` : " (truncated?)"}`,
    };
  return { ok: true, key: `${type} ${data}`, type };
}
