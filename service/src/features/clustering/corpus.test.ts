import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import {
  manyCitizens,
  populate,
  startTestService,
  type TestService,
  uuidv7,
} from "../../test/harness.ts";
import { htmlToText } from "../clusters/index.ts";
import {
  isCampaignLetter,
  loadCmsComments,
  loadVtaiwanComments,
} from "../clusters/test-fixtures.ts";
import { clusterAll } from "./clustering.worker.ts";

/**
 * Real comment corpora loaded the way citizens send them (one person, one
 * comment, through sync push), then folded into points by the service.
 */
describe.each(backends)("real corpora through the API on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
  });
  afterAll(() => s.close());

  const load = async (texts: { id: string; text: string }[]) => {
    const people = await manyCitizens(s, texts.length);
    const ids = new Map<string, string>();
    for (const [i, c] of texts.entries()) {
      const id = uuidv7();
      ids.set(id, c.id);
      const push = await s.call("POST", "/v1/sync/push", {
        token: people[i]?.token,
        body: {
          mutations: [
            {
              type: "annotation.create",
              key: uuidv7(),
              annotation: {
                id,
                consultationId: p.consultationId,
                target: {
                  source: "https://gov.example/drafts/labor",
                  selector: [{ type: "TextQuoteSelector", exact: "the whole notice" }],
                },
                text: c.text.slice(0, 10_000),
              },
            },
          ],
        },
      });
      expect(push.body.results[0].status).toBe("applied");
    }
    await clusterAll(s.db);
    const points = (await s.call("GET", `/v1/consultations/${p.consultationId}/points`)).body
      .items as { id: string; size: number; people: number; campaign: boolean }[];
    const members = await s.db
      .selectFrom("annotations")
      .select(["id", "cluster_id"])
      .where("id", "in", [...ids.keys()])
      .execute();
    return { points, ids, members };
  };

  it("folds the CMS-2022-0163 form-letter campaign into one point, and nothing else into it", async () => {
    const comments = loadCmsComments()
      .map((c) => ({ id: c.id, text: htmlToText(c.comment) }))
      .filter((c) => c.text.trim().length > 0);
    const { points, ids, members } = await load(comments);
    const campaign = new Set(comments.filter((c) => isCampaignLetter(c.text)).map((c) => c.id));
    const pointOf = new Map(members.map((m) => [ids.get(m.id) as string, m.cluster_id as string]));
    const counts = new Map<string, number>();
    for (const id of campaign)
      counts.set(pointOf.get(id) as string, (counts.get(pointOf.get(id) as string) ?? 0) + 1);
    const [campaignPoint, folded] = [...counts].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const recall = folded / campaign.size;
    const intruders = [...pointOf].filter(
      ([orig, point]) => point === campaignPoint && !campaign.has(orig),
    );
    console.info(
      `CMS campaign: ${folded}/${campaign.size} letters in one point (recall ${(recall * 100).toFixed(1)}%), ${intruders.length} others folded in, ${points.length} points for ${comments.length} comments`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(intruders).toEqual([]);
    const point = points.find((x) => x.id === campaignPoint);
    expect(point).toMatchObject({ campaign: true, size: folded, people: folded });
    expect(points[0]?.id).toBe(campaignPoint);
  }, 180_000);

  it("loads and clusters the vTaiwan Chinese comments without errors", async () => {
    const comments = loadVtaiwanComments().map((c) => ({ id: c.id, text: c.text }));
    const before = (await s.call("GET", `/v1/consultations/${p.consultationId}/points`)).body.items
      .length;
    const { points, members } = await load(comments);
    expect(members.every((m) => m.cluster_id !== null)).toBe(true);
    expect(points.length - before).toBeGreaterThan(150);
    expect(points.length - before).toBeLessThanOrEqual(comments.length);
  }, 120_000);
});
