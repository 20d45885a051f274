import { describe, expect, it } from "vitest";
import { createApiClient } from "./api-client.ts";
import { carriedFrom, carriedInto } from "./revisions.ts";
import { jsonResponse } from "./testing.ts";
import { zodChecks } from "./zod-checks.ts";

const CONSULTATION = "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70";

const changes = {
  consultationId: CONSULTATION,
  version: 2,
  from: 1,
  paragraphs: [
    {
      oldKey: "art-1.p1",
      kind: "edited",
      newKeys: ["art-1.p1"],
      similarity: 0.8,
      oldText: "minimum standards",
      newText: "basic standards",
    },
    {
      oldKey: "art-3.p1",
      kind: "removed",
      newKeys: [],
      similarity: null,
      oldText: "applicable",
      newText: null,
    },
  ],
  annotations: [
    {
      annotationId: "a-kept",
      status: "intact",
      paragraphKey: "art-2.p1",
      oldText: "worker",
      newText: "worker",
    },
    {
      annotationId: "a-edited",
      status: "changed",
      paragraphKey: "art-1.p1",
      oldText: "minimum standards",
      newText: "basic standards",
    },
    {
      annotationId: "a-removed",
      status: "orphaned",
      paragraphKey: null,
      oldText: "applicable",
      newText: null,
    },
  ],
};

function api(respond: (url: string) => Response | Promise<Response>) {
  const urls: string[] = [];
  const client = createApiClient({
    baseUrl: "http://svc.test",
    fetch: (async (url: string) => {
      urls.push(url);
      return respond(url);
    }) as unknown as typeof fetch,
    getToken: () => null,
    check: zodChecks,
  });
  return { client, urls };
}

describe("carriedFrom", () => {
  it("keeps each comment's fate and the text it was about, by annotation id", () => {
    const m = carriedFrom(changes as Parameters<typeof carriedFrom>[0]);
    expect([...m]).toEqual([
      ["a-kept", { status: "intact", oldText: "worker" }],
      ["a-edited", { status: "changed", oldText: "minimum standards" }],
      ["a-removed", { status: "orphaned", oldText: "applicable" }],
    ]);
  });
});

describe("carriedInto", () => {
  it("asks the public changes of the version and reduces them", async () => {
    const { client, urls } = api(() => jsonResponse(200, changes));
    const m = await carriedInto(client, CONSULTATION, 2);
    expect(urls).toEqual([`http://svc.test/v1/consultations/${CONSULTATION}/versions/2/changes`]);
    expect(m.get("a-edited")).toEqual({ status: "changed", oldText: "minimum standards" });
    expect(m.get("a-removed")?.status).toBe("orphaned");
  });

  it("does not ask about a first version, which changed nothing", async () => {
    const { client, urls } = api(() => jsonResponse(200, changes));
    expect((await carriedInto(client, CONSULTATION, 1)).size).toBe(0);
    expect(urls).toEqual([]);
  });

  it("offline, on an error or on an answer it does not understand: no notes, nothing thrown", async () => {
    const offline = api(() => Promise.reject(new TypeError("Failed to fetch")));
    expect((await carriedInto(offline.client, CONSULTATION, 2)).size).toBe(0);
    const missing = api(() =>
      jsonResponse(404, { error: { code: "not_found", message: "no such version" } }),
    );
    expect((await carriedInto(missing.client, CONSULTATION, 3)).size).toBe(0);
    const odd = api(() =>
      jsonResponse(200, { ...changes, annotations: [{ annotationId: 1, status: "lost" }] }),
    );
    expect((await carriedInto(odd.client, CONSULTATION, 2)).size).toBe(0);
  });
});
