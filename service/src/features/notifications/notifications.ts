import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { unansweredPoints } from "../consultations/unanswered.ts";
import { claimJobs, completeJob, enqueue, failJob } from "./jobs.repository.ts";
import { type EmailEvent, emailFor, type Mailer } from "./mail.ts";
import { signWebhook } from "./webhook-signature.ts";

const DAY = 86_400_000;

export type MarginEvent =
  | {
      type: "point.created";
      consultationId: string;
      pointId: string;
      paragraphKey: string | null;
      text: string;
      url: string;
    }
  | {
      type: "points.digest";
      consultationId: string;
      count: number;
      url: string;
    }
  | {
      type: "deadline.near";
      consultationId: string;
      respondBy: string;
      daysLeft: number;
      unanswered: number;
      url: string;
    }
  | {
      type: "deadline.passed";
      consultationId: string;
      respondBy: string;
      unanswered: number;
      url: string;
    };

/** The agency to notify about a consultation, when it has a webhook configured. */
export async function agencyWithWebhook(db: Kysely<Database>, consultationId: string) {
  const agency = await db
    .selectFrom("consultations as c")
    .innerJoin("agencies as a", "a.id", "c.agency_id")
    .select(["a.id", "a.webhook_url"])
    .where("c.id", "=", consultationId)
    .executeTakeFirst();
  return agency?.webhook_url ? agency.id : null;
}

export function queueWebhook(
  db: Kysely<Database>,
  agencyId: string,
  event: MarginEvent,
  dedupeKey: string,
) {
  return enqueue(db, { kind: "webhook", payload: { agencyId, event }, dedupeKey });
}

/** Queues a webhook to the consultation's agency, if it has one configured. */
export async function notifyAgency(
  db: Kysely<Database>,
  consultationId: string,
  event: MarginEvent,
  dedupeKey: string,
) {
  const agencyId = await agencyWithWebhook(db, consultationId);
  return agencyId ? queueWebhook(db, agencyId, event, dedupeKey) : false;
}

/** Queues an email to each official assigned to the consultation; how many were queued. */
export async function emailOfficials(
  db: Kysely<Database>,
  consultationId: string,
  event: EmailEvent,
  dedupeKey: string,
) {
  const officials = await db
    .selectFrom("consultation_officials as co")
    .innerJoin("users as u", "u.id", "co.user_id")
    .select("u.id")
    .where("co.consultation_id", "=", consultationId)
    .where("u.role", "=", "official")
    .execute();
  let queued = 0;
  for (const o of officials)
    if (
      await enqueue(db, {
        kind: "email",
        payload: { userId: o.id, event },
        dedupeKey: `${dedupeKey}:email:${o.id}`,
      })
    )
      queued++;
  return queued;
}

const HOUR = 3_600_000;

/**
 * At most one email an hour per consultation to its officials, saying how many
 * points arrived in the hour before: a campaign of a thousand letters is one
 * message, not a thousand (the webhook still gets each point).
 */
export async function scanNewPoints(db: Kysely<Database>, now: Date, publicUrl: string) {
  const rows = await db
    .selectFrom("clusters as k")
    .innerJoin("consultations as c", "c.id", "k.consultation_id")
    .select((eb) => ["k.consultation_id", eb.fn.countAll<number>().as("count")])
    .where("c.status", "=", "published")
    .where("k.created_at", ">", new Date(now.getTime() - HOUR))
    .where("k.created_at", "<=", now)
    .groupBy("k.consultation_id")
    .execute();
  let queued = 0;
  const hour = Math.floor(now.getTime() / HOUR);
  for (const r of rows) {
    const event: EmailEvent = {
      type: "points.digest",
      consultationId: r.consultation_id,
      count: Number(r.count),
      url: `${publicUrl}/console/c/${r.consultation_id}`,
    };
    queued += await emailOfficials(
      db,
      r.consultation_id,
      event,
      `points:${r.consultation_id}:${hour}`,
    );
  }
  return queued;
}

/**
 * Deadlines coming near (a week, a day) and passed, each announced once per
 * consultation: the dedupe key makes a second scan, or a second instance, a no-op.
 */
export async function scanDeadlines(
  db: Kysely<Database>,
  now: Date,
  publicUrl: string,
  opts: { email?: boolean } = {},
) {
  const due = await db
    .selectFrom("consultations")
    .select(["id", "respond_by"])
    .where("status", "=", "published")
    .where("respond_by", "<", new Date(now.getTime() + 7 * DAY))
    .where("respond_by", ">", new Date(now.getTime() - 30 * DAY))
    .execute();
  let queued = 0;
  for (const c of due) {
    const left = c.respond_by.getTime() - now.getTime();
    const stage = left <= 0 ? "passed" : left <= DAY ? "1d" : "7d";
    const unanswered = await unansweredPoints(db, c.id, now);
    if (unanswered === 0) continue;
    const url = `${publicUrl}/c/${c.id}/answers`;
    const event: MarginEvent =
      stage === "passed"
        ? {
            type: "deadline.passed",
            consultationId: c.id,
            respondBy: c.respond_by.toISOString(),
            unanswered,
            url,
          }
        : {
            type: "deadline.near",
            consultationId: c.id,
            respondBy: c.respond_by.toISOString(),
            daysLeft: Math.ceil(left / DAY),
            unanswered,
            url,
          };
    if (await notifyAgency(db, c.id, event, `deadline:${c.id}:${stage}`)) queued++;
    if (opts.email) queued += await emailOfficials(db, c.id, event, `deadline:${c.id}:${stage}`);
  }
  return queued;
}

/**
 * Delivers due webhooks and emails. Webhooks are signed with their agency's
 * secret; failures retry with backoff. Emails queued while SMTP was configured
 * and no longer are dropped: there is nowhere to send them.
 */
export async function deliverDue(
  db: Kysely<Database>,
  opts: { now: Date; fetch?: typeof fetch; mailer?: Mailer | null; limit?: number },
) {
  const jobs = await claimJobs(db, opts.now, opts.limit ?? 20, 60_000);
  const doFetch = opts.fetch ?? fetch;
  let delivered = 0;
  for (const job of jobs) {
    try {
      if (job.kind === "email") {
        if (opts.mailer && (await sendEmail(db, opts.mailer, job.payload))) delivered++;
        await completeJob(db, job.id, opts.now);
        continue;
      }
      if (job.kind !== "webhook") throw new Error(`unknown job kind ${job.kind}`);
      const agency = await db
        .selectFrom("agencies")
        .select(["webhook_url", "webhook_secret"])
        .where("id", "=", job.payload.agencyId as string)
        .executeTakeFirst();
      if (!agency?.webhook_url) {
        await completeJob(db, job.id, opts.now);
        continue;
      }
      const body = JSON.stringify({ id: job.id, ...(job.payload.event as MarginEvent) });
      const res = await doFetch(agency.webhook_url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "margin-signature": signWebhook(agency.webhook_secret, body, opts.now),
          "margin-delivery": String(job.id),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`the receiver answered ${res.status}`);
      await completeJob(db, job.id, opts.now);
      delivered++;
    } catch (e) {
      await failJob(db, job.id, job.attempts, e instanceof Error ? e.message : String(e), opts.now);
    }
  }
  return delivered;
}

/** Sends one queued email; false when its official or consultation is gone. */
async function sendEmail(db: Kysely<Database>, mailer: Mailer, payload: Record<string, unknown>) {
  const event = payload.event as EmailEvent;
  const row = await db
    .selectFrom("users as u")
    .innerJoin("consultations as c", (j) => j.on("c.id", "=", event.consultationId))
    .select(["u.email", "c.title"])
    .where("u.id", "=", payload.userId as string)
    .executeTakeFirst();
  if (!row) return false;
  await mailer.send({ to: row.email, ...emailFor(event, row.title) });
  return true;
}
