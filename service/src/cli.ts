import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { AgencyInputSchema, CreateUserInputSchema } from "@margin/model";
import { openDatabase } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { seedDemo } from "./demo/seed.ts";
import { parseEnv } from "./env.ts";
import { createAgency, findAgencyBySlug } from "./features/agencies/agencies.repository.ts";
import { createUser } from "./features/auth/users.repository.ts";
import { getConsultation } from "./features/consultations/consultations.repository.ts";
import { writeExport } from "./features/exports/export-file.ts";
import { EXPORT_FORMATS, isExportFormat } from "./features/exports/export-formats.ts";
import { importAnnotations } from "./features/imports/import.service.ts";

const usage = `margin <command> [options]   (DATABASE_URL or MARGIN_DATA_DIR choose the database)

  migrate                                   bring the schema up to date
  create-admin    --email E --password P --name N
  create-agency   --slug S [--name-zh N] [--name-en N] [--domain D ...]
  create-official --agency SLUG --email E --password P --name N
  seed-demo       [--url http://127.0.0.1:8787]
  export          --consultation ID [--format json|csv|jsonld] --out FILE   (progress on stderr)
  import          --consultation ID --file FILE   (W3C annotations or a Hypothesis export; prints the report)`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function valid<T>(
  result:
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } },
): T {
  if (result.success) return result.data;
  fail(result.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: "string" },
    password: { type: "string" },
    name: { type: "string" },
    slug: { type: "string" },
    "name-zh": { type: "string" },
    "name-en": { type: "string" },
    domain: { type: "string", multiple: true },
    agency: { type: "string" },
    url: { type: "string" },
    consultation: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    file: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

const command = positionals[0];
if (!command || values.help) {
  console.log(usage);
  process.exit(command ? 0 : 2);
}

const commands = [
  "migrate",
  "create-admin",
  "create-agency",
  "create-official",
  "seed-demo",
  "export",
  "import",
];
if (!commands.includes(command)) fail(`unknown command ${command}\n\n${usage}`);

const env = parseEnv(process.env);
const { db, close } = await openDatabase({
  url: env.DATABASE_URL,
  dataDir: env.MARGIN_DATA_DIR,
  poolSize: 2,
});
/** The consultation `--consultation` names, or exit with why not. */
async function consultationOrFail(id: string | undefined) {
  const found = id ? await getConsultation(db, id, new Date()).catch(() => null) : null;
  if (!found) fail(`no consultation ${id ?? "(missing --consultation)"}`);
  return found;
}

try {
  await migrateToLatest(db);
  switch (command) {
    case "migrate":
      console.log("schema is up to date");
      break;
    case "create-admin": {
      const input = valid(
        CreateUserInputSchema.safeParse({
          email: values.email,
          password: values.password,
          displayName: values.name,
          role: "admin",
          agencyId: null,
        }),
      );
      const user = await createUser(db, input);
      if (!user) fail(`an account with the email ${input.email} already exists`);
      console.log(`admin created: ${user.id} ${user.email}`);
      break;
    }
    case "create-agency": {
      const input = valid(
        AgencyInputSchema.safeParse({
          slug: values.slug,
          name: { "zh-Hant": values["name-zh"], en: values["name-en"] },
          domains: values.domain ?? [],
        }),
      );
      const agency = await createAgency(db, input);
      if (!agency) fail(`an agency with the slug ${input.slug} already exists`);
      console.log(`agency created: ${agency.id} ${agency.slug}`);
      break;
    }
    case "create-official": {
      const agency = values.agency ? await findAgencyBySlug(db, values.agency) : undefined;
      if (!agency) fail(`no agency with the slug ${values.agency ?? "(missing --agency)"}`);
      const input = valid(
        CreateUserInputSchema.safeParse({
          email: values.email,
          password: values.password,
          displayName: values.name,
          role: "official",
          agencyId: agency.id,
        }),
      );
      const user = await createUser(db, input);
      if (!user) fail(`an account with the email ${input.email} already exists`);
      console.log(`official created: ${user.id} ${user.email} (${agency.slug})`);
      break;
    }
    case "export": {
      const format = values.format ?? "json";
      if (!isExportFormat(format)) fail(`--format must be one of ${EXPORT_FORMATS.join(", ")}`);
      if (!values.out) fail("--out FILE is required");
      const consultation = await consultationOrFail(values.consultation);
      const publicUrl = env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
      const written = await writeExport(db, consultation, {
        format,
        path: values.out,
        publicUrl,
        progress: (done, total) => process.stderr.write(`\rexported ${done} of ${total} comments`),
      });
      process.stderr.write("\n");
      console.log(
        `wrote ${written.comments} comments and ${written.responses} answers to ${values.out}`,
      );
      break;
    }
    case "import": {
      if (!values.file) fail("--file FILE is required");
      const consultation = await consultationOrFail(values.consultation);
      let body: unknown;
      try {
        body = JSON.parse(await readFile(values.file, "utf8"));
      } catch (err) {
        fail(`cannot read ${values.file} as JSON: ${(err as Error).message}`);
      }
      const report = await importAnnotations(
        db,
        {
          consultationId: consultation.id,
          agencyId: consultation.agency.id,
          currentVersion: consultation.currentVersion,
        },
        body,
        new Date(),
      );
      console.log(JSON.stringify(report, null, 2));
      break;
    }
    case "seed-demo": {
      const seeded = await seedDemo(db, values.url ?? `http://127.0.0.1:${env.PORT}`, new Date());
      console.log(
        seeded ? `demo seeded: ${seeded.consultationIds.join(", ")}` : "the demo is already there",
      );
      break;
    }
    default:
      fail(`unknown command ${command}\n\n${usage}`);
  }
} finally {
  await close();
}
