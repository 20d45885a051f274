/** Loads the corpus fixtures for tests and benchmarks (see fixtures/README.md). */
import { readFileSync } from "node:fs";
import { normalizeText } from "./text-features.ts";

export interface CmsComment {
  id: string;
  organization: string | null;
  /** HTML, as regulations.gov serves it. */
  comment: string;
}

export interface VtaiwanComment {
  id: string;
  moderated: number;
  text: string;
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

export function loadCmsComments(): CmsComment[] {
  return load<CmsComment[]>("cms-2022-0163.json");
}

export function loadVtaiwanComments(): VtaiwanComment[] {
  return load<VtaiwanComment[]>("vtaiwan-uberx.json");
}

/**
 * Ground truth for the CMS-2022-0163 form-letter campaign. The campaign letter ("Dear Centers for
 * Medicare & Medicaid Services (CMS), One piece of information...") circulates in ~62 versions:
 * with or without the summary of the five representations, with a personal paragraph added before
 * or after, with a new first sentence, or cut down to its second half. Its opening line alone is
 * not a good test (some versions replace it; some unrelated letters open with "Dear Centers...").
 * Rule: a comment belongs to the campaign when it reproduces verbatim (after normalisation) at
 * least 5 of these 10 distinctive sentences of the letter, i.e. at least half the letter. Letters
 * that borrow fewer (4 or less: they rewrite the letter in their own words around a few quoted
 * sentences) are their own points. On this data the rule gives 223 letters: 201 with all 10
 * sentences, 12 with 9, 4 with 8, 3 with 7, 1 with 6, 2 with 5.
 */
const CAMPAIGN_SENTENCES = [
  "is often important to a patient in selection of",
  "a patient's sex is also a crucial fact if a patient is to receive appropriate medical care",
  "providers and patients are currently identified only by the term administrative gender",
  "the gender of a person used for administrative [recordkeeping] purposes",
  "there are many considerations around sex and gender documentation",
  "none of the proposed classification definitions of gender/sex guarantees a patient will see a provider of the sex she or he chooses",
  "any schemata or classification of healthcare providers must make it clear to patients",
  "to deny patients this information begins the doctor/provider-patient relationship",
  "unobscured by gender identity ideology",
  "patients have the right to clear and accurate knowledge about the sex of their chosen providers",
].map(normalizeText);

export function isCampaignLetter(text: string): boolean {
  const n = normalizeText(text);
  return CAMPAIGN_SENTENCES.filter((s) => n.includes(s)).length >= 5;
}
