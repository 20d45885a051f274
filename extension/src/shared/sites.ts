/** Host match patterns for origins. Ports are left out: Firefox rejects them and Chrome then matches any port. */
export function originPattern(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}

export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}

/** The origin of every URL pattern (patterns put `*` only in the path). */
export function patternOrigin(pattern: string): string | null {
  const m = /^(https?:\/\/[^/*\s]+)/i.exec(pattern);
  return m?.[1] ? originOf(m[1]) : null;
}
