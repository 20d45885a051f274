import type { ApiClient, ApiResult } from "@margin/store";
import { describe, expect, it } from "vitest";
import { createRevisionNotes } from "./revisions.ts";

const ID = "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70";

type Api = Pick<ApiClient, "getConsultation" | "versionChanges">;
type Consultation = Extract<Awaited<ReturnType<Api["getConsultation"]>>, { ok: true }>["value"];
type Changes = Extract<Awaited<ReturnType<Api["versionChanges"]>>, { ok: true }>["value"];

const offline = {
  ok: false as const,
  error: {
    kind: "network" as const,
    status: 0,
    code: "network_error" as const,
    message: "Failed to fetch",
    retryable: true,
    retryAfterMs: null,
  },
};

/** A service whose current version and reachability the test sets; it counts the changes asked. */
function fakeApi() {
  const s = {
    version: 1 as number | null,
    online: true,
    changesFail: false,
    asked: [] as number[],
  };
  const api: Api = {
    async getConsultation() {
      if (!s.online) return offline;
      return {
        ok: true,
        status: 200,
        value: { id: ID, currentVersion: s.version } as Consultation,
      };
    },
    async versionChanges(_id, version): Promise<ApiResult<Changes>> {
      s.asked.push(version);
      if (!s.online || s.changesFail) return offline;
      const value = {
        consultationId: ID,
        version,
        from: version - 1,
        paragraphs: [],
        annotations: [
          {
            annotationId: "a1",
            status: "changed",
            paragraphKey: "p1",
            oldText: `before v${version}`,
            newText: `v${version}`,
          },
        ],
      } satisfies Changes;
      return { ok: true, status: 200, value };
    },
  };
  return { s, api };
}

describe("createRevisionNotes", () => {
  it("a first version has no notes and asks nothing about changes", async () => {
    const { s, api } = fakeApi();
    expect((await createRevisionNotes(api)(ID)).size).toBe(0);
    expect(s.asked).toEqual([]);
  });

  it("keeps a version's notes, and follows a newly published version", async () => {
    const { s, api } = fakeApi();
    const notes = createRevisionNotes(api);
    s.version = 2;
    expect((await notes(ID)).get("a1")?.oldText).toBe("before v2");
    expect((await notes(ID)).get("a1")?.oldText).toBe("before v2");
    expect(s.asked).toEqual([2]);
    s.version = 3;
    expect((await notes(ID)).get("a1")?.oldText).toBe("before v3");
    expect(s.asked).toEqual([2, 3]);
  });

  it("offline: the notes of the last version seen, or none; a failed answer is asked again", async () => {
    const { s, api } = fakeApi();
    const notes = createRevisionNotes(api);
    s.version = 2;
    s.online = false;
    expect((await notes(ID)).size).toBe(0);
    s.online = true;
    await notes(ID);
    s.online = false;
    expect((await notes(ID)).get("a1")?.status).toBe("changed");
    expect(s.asked).toEqual([2]);

    s.online = true;
    s.version = 3;
    s.changesFail = true;
    expect((await notes(ID)).size).toBe(0);
    s.changesFail = false;
    expect((await notes(ID)).get("a1")?.oldText).toBe("before v3");
    expect(s.asked).toEqual([2, 3, 3]);
  });
});
