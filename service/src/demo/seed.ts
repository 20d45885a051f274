import { readFile } from "node:fs/promises";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { createAgency } from "../features/agencies/agencies.repository.ts";
import { createUser } from "../features/auth/users.repository.ts";
import { insertConsultation } from "../features/consultations/consultations.repository.ts";
import { addDraftVersion } from "../features/drafts/drafts.routes.ts";

export const DEMO = {
  agencySlug: "mol",
  official: {
    email: "official@demo.margin.test",
    password: "demo-official-pass",
    displayName: "王小明 (participation officer)",
  },
  citizen: {
    email: "citizen@demo.margin.test",
    password: "demo-citizen-pass",
    displayName: "Demo Citizen",
  },
};

const DAY = 86_400_000;

/**
 * First start only: an agency, one of its officials, a citizen, and the Labor
 * Standards Act open for comment in Chinese and in English, so a newcomer sees
 * something real at once. Does nothing when the demo agency already exists.
 */
export async function seedDemo(db: Kysely<Database>, publicUrl: string, now: Date) {
  const agency = await createAgency(db, {
    slug: DEMO.agencySlug,
    name: { "zh-Hant": "勞動部", en: "Ministry of Labor" },
    domains: [new URL(publicUrl).hostname],
    webhookUrl: null,
  });
  if (!agency) return null;
  const official = await createUser(db, {
    ...DEMO.official,
    role: "official",
    agencyId: agency.id,
  });
  await createUser(db, { ...DEMO.citizen, role: "citizen", agencyId: null });
  if (!official)
    throw new Error(
      "demo official exists without its agency; the database is in an unexpected state",
    );

  const drafts = [
    {
      locale: "zh-Hant" as const,
      file: "tw-labor-standards-act.zh.html",
      title: "勞動基準法 修正草案",
      summary: "勞動部就勞動基準法修正草案徵求各界意見，請就各條文提出意見。",
    },
    {
      locale: "en" as const,
      file: "tw-labor-standards-act.en.html",
      title: "Labor Standards Act — draft amendment",
      summary:
        "The Ministry of Labor asks for comments on the draft amendment of the Labor Standards Act, article by article.",
    },
  ];
  const ids: string[] = [];
  for (const d of drafts) {
    const id = await insertConsultation(
      db,
      {
        agencyId: agency.id,
        title: d.title,
        summary: d.summary,
        locale: d.locale,
        urlPatterns: [],
        opensAt: new Date(now.getTime() - DAY).toISOString(),
        closesAt: new Date(now.getTime() + 60 * DAY).toISOString(),
        respondBy: new Date(now.getTime() + 90 * DAY).toISOString(),
        officialIds: [official.id],
      },
      official.id,
      now,
    );
    await db
      .updateTable("consultations")
      .set({ status: "published", url_patterns: [`${publicUrl}/c/${id}`] })
      .where("id", "=", id)
      .execute();
    const html = await readFile(new URL(`./fixtures/${d.file}`, import.meta.url), "utf8");
    await addDraftVersion(db, id, { html, note: "草案 / first draft" }, official.id);
    ids.push(id);
  }
  return { agencyId: agency.id, consultationIds: ids };
}
