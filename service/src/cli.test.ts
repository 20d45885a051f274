import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "./db/connect.ts";
import { backends, freshDatabase } from "./test/backends.ts";

const run = promisify(execFile);
const tsx = join(import.meta.dirname, "..", "..", "node_modules", ".bin", "tsx");

// One back end is enough here: the real server when there is one (much faster to
// start than PGlite in every CLI process), else the embedded database.
const backend = backends.at(-1) as (typeof backends)[number];

describe(`the administration CLI on ${backend}`, () => {
  let dataDir = mkdtempSync(join(tmpdir(), "margin-cli-"));
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  const env = () =>
    database?.url ? { DATABASE_URL: database.url } : { DATABASE_URL: "", MARGIN_DATA_DIR: dataDir };
  const cli = (...args: string[]) =>
    run(tsx, [join(import.meta.dirname, "cli.ts"), ...args], {
      env: { ...process.env, ...env() },
    }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: e.stdout,
        err: e.stderr,
      }),
    );

  it("creates the first admin, an agency and its official, and refuses bad or duplicate input", async () => {
    if (backend === "postgres") database = await freshDatabase("postgres");
    const admin = await cli(
      "create-admin",
      "--email",
      "Root@Example.test",
      "--password",
      "a long admin password",
      "--name",
      "Root",
    );
    expect(admin.code).toBe(0);
    expect(
      (
        await cli(
          "create-agency",
          "--slug",
          "mol",
          "--name-zh",
          "勞動部",
          "--domain",
          "www.mol.gov.tw",
        )
      ).code,
    ).toBe(0);
    const official = await cli(
      "create-official",
      "--agency",
      "mol",
      "--email",
      "officer@mol.gov.tw",
      "--password",
      "a long password!",
      "--name",
      "王小明",
    );
    expect(official.out).toContain("official created");

    const dup = await cli(
      "create-admin",
      "--email",
      "root@example.test",
      "--password",
      "a long admin password",
      "--name",
      "Again",
    );
    expect(dup.code).toBe(2);
    expect(dup.err).toContain("already exists");
    const bad = await cli(
      "create-official",
      "--agency",
      "mol",
      "--email",
      "not-an-email",
      "--password",
      "short",
      "--name",
      "X",
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--email/);
    expect(bad.err).toMatch(/--password/);
    expect(
      (
        await cli(
          "create-official",
          "--agency",
          "nope",
          "--email",
          "a@b.tw",
          "--password",
          "a long password!",
          "--name",
          "X",
        )
      ).err,
    ).toContain("no agency");
    expect((await cli("frobnicate")).code).toBe(2);

    const handle: DatabaseHandle = database ?? (await openDatabase({ dataDir }));
    const users = await handle.db
      .selectFrom("users")
      .select(["email", "role", "agency_id"])
      .orderBy("email")
      .execute();
    await handle.close();
    expect(users.map((u) => [u.email, u.role])).toEqual([
      ["officer@mol.gov.tw", "official"],
      ["root@example.test", "admin"],
    ]);
  }, 120_000);

  it("imports a Hypothesis export into a consultation and prints the report", async () => {
    // A database of its own: the test above drops (or fills) the one it used.
    if (backend === "postgres") database = await freshDatabase("postgres");
    else dataDir = mkdtempSync(join(tmpdir(), "margin-cli-"));
    expect((await cli("seed-demo")).code).toBe(0);
    const handle: DatabaseHandle = database ?? (await openDatabase({ dataDir }));
    const english = await handle.db
      .selectFrom("consultations")
      .select("id")
      .where("locale", "=", "en")
      .executeTakeFirstOrThrow();
    if (!database) await handle.close();
    const file = join(import.meta.dirname, "features/imports/fixtures/hypothesis-export.json");
    const first = await cli("import", "--consultation", english.id, "--file", file);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ imported: 7, anchored: 6, orphaned: 1 });
    const again = await cli("import", "--consultation", english.id, "--file", file);
    expect(JSON.parse(again.out)).toMatchObject({ imported: 0, duplicates: 7 });
    const missing = await cli(
      "import",
      "--consultation",
      english.id,
      "--file",
      "/nonexistent.json",
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("cannot read /nonexistent.json");
    await database?.close();
  }, 120_000);
});
