import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noLimits, startServiceWith } from "../../security/test-service.ts";
import { backends } from "../../test/backends.ts";
import { annotationInput, populate, type TestService } from "../../test/harness.ts";
import { w3cConformance } from "./w3c-conformance.ts";

const ANNO = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';
const PREFER_IRIS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"';

/** Walks the container as a generic W3C Web Annotation Protocol client would, following only links. */
describe.each(backends)("W3C Web Annotation Protocol container (%s)", (kind) => {
  let s: TestService;
  let w: Awaited<ReturnType<typeof populate>>;
  const container = () => `/v1/consultations/${w.consultationId}/annotations`;
  /** The service names things by its public URL; a client on the test socket follows the path. */
  const local = (iri: string) => iri.replace("http://margin.test", "");

  beforeAll(async () => {
    s = await startServiceWith(kind, noLimits);
    w = await populate(s);
    // 150 comments: two pages of 100.
    for (let i = 0; i < 150; i++) {
      const r = await s.call("POST", "/v1/annotations", {
        token: i % 2 ? w.alice.token : w.bob.token,
        body: annotationInput(w.consultationId, { text: `第 ${i} 則意見` }),
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => s?.close());

  it("OPTIONS and HEAD describe the container", async () => {
    const options = await s.call("OPTIONS", container());
    expect(options.status).toBe(200);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
    expect(options.headers.get("accept-post")).toBe(ANNO);
    expect(options.headers.get("link")).toContain(
      '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"',
    );
    const head = await fetch(s.url + container(), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe(ANNO);
    expect(head.headers.get("etag")).toBeTruthy();
    expect(head.headers.get("vary")).toContain("Accept");
    expect(head.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
  });

  it("GETs the collection, follows next through every page, and every item conforms", async () => {
    const first = await s.call("GET", container(), { headers: { prefer: PREFER_IRIS } });
    expect(first.status).toBe(200);
    expect(first.headers.get("preference-applied")).toBe("return=representation");
    expect(first.body.type).toEqual(["BasicContainer", "AnnotationCollection"]);
    expect(first.body.total).toBe(150);
    expect(first.body.first.items.every((i: unknown) => typeof i === "string")).toBe(true);
    const again = await s.call("GET", container(), {
      headers: { prefer: PREFER_IRIS, "if-none-match": first.headers.get("etag") as string },
    });
    expect(again.status).toBe(304);

    const minimal = await s.call("GET", container(), {
      headers: {
        prefer: 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"',
      },
    });
    expect(typeof minimal.body.first).toBe("string");

    const conformance = w3cConformance();
    const seen: string[] = [];
    let next: string | undefined = (await s.call("GET", container())).body.first.id;
    while (next) {
      const page = await s.call("GET", local(next));
      expect(page.status).toBe(200);
      expect(page.body.type).toBe("AnnotationPage");
      expect(page.body.partOf.total).toBe(150);
      for (const item of page.body.items) {
        expect(conformance.check(item)).toEqual([]);
        seen.push(item.id);
      }
      next = page.body.next;
    }
    expect(new Set(seen).size).toBe(150);
  });

  it("POSTs, GETs by Location, PUTs with If-Match and DELETEs", async () => {
    const annotation = {
      "@context": "http://www.w3.org/ns/anno.jsonld",
      type: "Annotation",
      motivation: "commenting",
      body: [
        { type: "TextualBody", value: "夜班應另計。", purpose: "commenting" },
        { type: "TextualBody", value: "oppose", purpose: "tagging" },
      ],
      target: {
        source: "https://gov.example/drafts/labor",
        selector: { type: "TextQuoteSelector", exact: "forty hours" },
      },
    };
    const anonymous = await s.call("POST", container(), {
      body: JSON.stringify(annotation),
      headers: { "content-type": ANNO },
    });
    expect(anonymous.status).toBe(401);
    const created = await s.call("POST", container(), {
      token: w.alice.token,
      body: JSON.stringify(annotation),
      headers: { "content-type": ANNO },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const location = created.headers.get("location") as string;
    expect(location).toMatch(/^http:\/\/margin\.test\/v1\/consultations\/.+\/annotations\/.+/);
    expect(created.body.id).toBe(location);

    const got = await s.call("GET", local(location));
    expect(got.status).toBe(200);
    expect(got.headers.get("link")).toContain('<http://www.w3.org/ns/ldp#Resource>; rel="type"');
    expect(got.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PUT, DELETE");
    const etag = got.headers.get("etag") as string;
    expect(got.body.body[0].value).toBe("夜班應另計。");

    const edited = { ...got.body, body: [{ type: "TextualBody", value: "夜班應另計工資。" }] };
    const send = (headers: Record<string, string>, token = w.alice.token) =>
      s.call("PUT", local(location), {
        token,
        body: JSON.stringify(edited),
        headers: { "content-type": ANNO, ...headers },
      });
    expect((await send({})).status).toBe(428);
    expect((await send({ "if-match": '"99"' })).status).toBe(412);
    expect((await send({ "if-match": etag }, w.bob.token)).status).toBe(403);
    const put = await send({ "if-match": etag });
    expect(put.status).toBe(200);
    expect(put.body.body[0].value).toBe("夜班應另計工資。");
    const newTag = put.headers.get("etag") as string;
    expect(newTag).not.toBe(etag);

    const del = (headers: Record<string, string>) =>
      s.call("DELETE", local(location), { token: w.alice.token, headers });
    expect((await del({})).status).toBe(428);
    expect((await del({ "if-match": etag })).status).toBe(412);
    expect((await del({ "if-match": newTag })).status).toBe(204);
    expect((await s.call("GET", local(location))).status).toBe(404);
  });

  it("refuses a non-conforming annotation with the W3C assertion that failed", async () => {
    const bad = await s.call("POST", container(), {
      token: w.alice.token,
      body: JSON.stringify({ type: "Annotation", body: "x", target: "https://gov.example/" }),
      headers: { "content-type": ANNO },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(bad.body.error.details[0].path).toContain("3.1-annotationContextValidated");
  });
});
