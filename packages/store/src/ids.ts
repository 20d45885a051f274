/**
 * UUIDv7 ids made on the client: 48 bits of milliseconds, then random bits.
 * Time-ordered, so outbox keys and annotation ids index well, and made before
 * the first send, so a retried push is recognised by the service.
 */
export type RandomBytes = (n: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (n) => {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
};

export function uuidv7(
  now: number = Date.now(),
  randomBytes: RandomBytes = cryptoRandomBytes,
): string {
  const bytes = randomBytes(16);
  let ms = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An id maker bound to a clock, for code that takes `newId` as a dependency. */
export function idMaker(
  now: () => number = Date.now,
  randomBytes: RandomBytes = cryptoRandomBytes,
) {
  return (): string => uuidv7(now(), randomBytes);
}
