/**
 * A UUIDv7 for the given moment. Clients make their own; the service makes
 * one only for a W3C client that POSTs without one (tests use it as a client).
 */
export function uuidv7(at = Date.now()): string {
  const hex = at.toString(16).padStart(12, "0");
  const rand = crypto.getRandomValues(new Uint8Array(10));
  const r = [...rand].map((b) => b.toString(16).padStart(2, "0")).join("");
  const variant = ((rand[2] as number) & 0x3f) | 0x80;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${r.slice(0, 3)}-${variant.toString(16)}${r.slice(6, 8)}-${r.slice(8, 20)}`;
}
