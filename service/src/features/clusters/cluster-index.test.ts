import { describe, expect, it } from "vitest";
import { ClusterIndex } from "./cluster-index.ts";
import { isCampaignLetter, loadCmsComments, loadVtaiwanComments } from "./test-fixtures.ts";
import { htmlToText } from "./text-features.ts";

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("CMS-2022-0163: the form-letter campaign folds into one cluster", () => {
  const comments = loadCmsComments().map((c) => ({ id: c.id, text: htmlToText(c.comment) }));
  const campaign = new Set(comments.filter((c) => isCampaignLetter(c.text)).map((c) => c.id));

  it("has the ground truth the corpus README describes (~216 letters)", () => {
    expect(comments.length).toBe(647);
    expect(campaign.size).toBe(223);
  });

  for (const seed of [0, 1, 2, 3, 4]) {
    it(`recall >= 95% and precision 100% (arrival order ${seed === 0 ? "as posted" : `shuffled #${seed}`})`, () => {
      const index = new ClusterIndex();
      const order = seed === 0 ? comments : shuffled(comments, seed);
      for (const c of order) index.add({ id: c.id, text: c.text, paragraphKey: null });
      // the cluster holding most campaign letters
      const counts = new Map<string, number>();
      for (const id of campaign) {
        const cid = index.clusterOf(id) as string;
        counts.set(cid, (counts.get(cid) ?? 0) + 1);
      }
      const [clusterId, inCampaign] = [...counts].sort((a, b) => b[1] - a[1])[0] as [
        string,
        number,
      ];
      const cluster = index.getCluster(clusterId);
      if (cluster === undefined) throw new Error("no campaign cluster");
      const recall = inCampaign / campaign.size;
      const precision = inCampaign / cluster.size;
      console.info(
        `CMS campaign (order ${seed}): recall ${inCampaign}/${campaign.size} = ${(recall * 100).toFixed(1)}%, ` +
          `precision ${inCampaign}/${cluster.size} = ${(precision * 100).toFixed(1)}%, ` +
          `${index.clusterCount} clusters for ${index.size} comments`,
      );
      expect(recall).toBeGreaterThanOrEqual(0.95);
      expect(cluster.members.filter((m) => !campaign.has(m))).toEqual([]);
      // the text shown to officials is the common version of the letter
      const rep = index.representative(clusterId);
      expect(rep && isCampaignLetter(rep.text)).toBe(true);
      expect(rep?.text.startsWith("Dear Centers for Medicare")).toBe(true);
    });
  }

  it("folds the 70 'See attached file(s)' comments, and leaves distinct comments alone", () => {
    const index = new ClusterIndex();
    for (const c of comments) index.add({ id: c.id, text: c.text, paragraphKey: null });
    const sizes = index.clusterList().map((c) => c.size);
    expect(sizes[1]).toBe(70);
    expect(index.clusterCount).toBeGreaterThan(300);
  });

  it("survives a JSON round trip: a rebuilt index assigns new comments as the original does", () => {
    const first = comments.slice(0, 400);
    const rest = comments.slice(400);
    const a = new ClusterIndex();
    for (const c of first) a.add({ id: c.id, text: c.text, paragraphKey: null });
    const json = JSON.stringify(a.toJSON());
    const b = ClusterIndex.fromJSON(JSON.parse(json));
    const sorted = (m: Map<string, string>) => [...m].sort((x, y) => (x[0] < y[0] ? -1 : 1));
    expect(sorted(b.assignments())).toEqual(sorted(a.assignments()));
    for (const c of rest) {
      const item = { id: c.id, text: c.text, paragraphKey: null };
      expect(b.add(item)).toBe(a.add(item));
    }
    expect(json.length).toBeLessThan(800_000);
  });

  it("keeps paragraphs apart in paragraph scope, and together in consultation scope", () => {
    const letter = comments.find((c) => campaign.has(c.id)) as { id: string; text: string };
    const p = new ClusterIndex();
    const c1 = p.add({ id: "a", text: letter.text, paragraphKey: "p1" });
    const c2 = p.add({ id: "b", text: letter.text, paragraphKey: "p2" });
    expect(c1).not.toBe(c2);
    const c = new ClusterIndex({ scope: "consultation" });
    expect(c.add({ id: "a", text: letter.text, paragraphKey: "p1" })).toBe(
      c.add({ id: "b", text: letter.text, paragraphKey: "p2" }),
    );
  });
});

describe("vTaiwan (Chinese)", () => {
  const comments = loadVtaiwanComments();

  it("clusters all 197 comments; distinct comments stay apart", () => {
    const index = new ClusterIndex();
    for (const c of comments) index.add({ id: c.id, text: c.text, paragraphKey: null });
    expect(index.size).toBe(197);
    const multi = index.clusterList().filter((c) => c.size > 1);
    for (const c of multi)
      console.info(
        "vTaiwan cluster:",
        c.members.map((m) => comments.find((x) => x.id === m)?.text),
      );
    // Polis comments are one opinion each; at most a handful repeat one another
    expect(index.clusterCount).toBeGreaterThan(185);
  });

  it("folds near-duplicates made by editing a character or two", () => {
    const index = new ClusterIndex();
    for (const c of comments) index.add({ id: c.id, text: c.text, paragraphKey: null });
    const long = comments.filter((c) => [...c.text].length >= 20).slice(0, 20);
    expect(long.length).toBe(20);
    for (const c of long) {
      const chars = [...c.text];
      const mid = Math.floor(chars.length / 2);
      const edited = [...chars.slice(0, mid), "很", ...chars.slice(mid + 1)]; // one character replaced
      const edited2 = [...chars.slice(0, 3), ...chars.slice(4, -1), "！"]; // one deleted, end changed
      expect(index.add({ id: `${c.id}-e1`, text: edited.join(""), paragraphKey: null })).toBe(
        index.clusterOf(c.id),
      );
      expect(index.add({ id: `${c.id}-e2`, text: edited2.join(""), paragraphKey: null })).toBe(
        index.clusterOf(c.id),
      );
    }
  });

  it("keeps comments that share only a topic apart", () => {
    const index = new ClusterIndex();
    const a = index.add({ id: "a", text: "我覺得尖峰時段可以彈性提高收費。", paragraphKey: null });
    const b = index.add({
      id: "b",
      text: "我覺得應該開放司機同時接受多家派遣。",
      paragraphKey: null,
    });
    const c = index.add({ id: "c", text: "我是計程車司機。", paragraphKey: null });
    const d = index.add({ id: "d", text: "我是 Uber 司機。", paragraphKey: null });
    expect(new Set([a, b, c, d]).size).toBe(4);
  });
});
