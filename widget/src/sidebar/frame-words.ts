import { type Locale, type Words, words } from "@margin/ui";

/**
 * The sidebar's words in its language. The build replaces this module in each language's
 * sidebar script with that language's catalogue alone (build.ts): a frame shows one language,
 * and the other's words were ~1.4 KB of its gzipped script.
 */
export const frameWords = (lang: Locale): Words => words[lang];
