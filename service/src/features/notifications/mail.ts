import { createTransport } from "nodemailer";
import type { MarginEvent } from "./notifications.ts";

export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** A mailer for `SMTP_URL` (smtp://user:pass@host:587, smtps://… for TLS from the start). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
  };
}

const day = (iso: string) => iso.slice(0, 10);

/** Officials get deadlines and an hourly digest of new points by email; each point goes to the webhook. */
export type EmailEvent = Exclude<MarginEvent, { type: "point.created" }>;

/**
 * What an official reads: both of the product's languages, the consultation's
 * title, and the link that leads to what needs doing. Plain text on purpose:
 * no remote content, nothing for a mail client to render wrongly.
 */
export function emailFor(event: EmailEvent, title: string): { subject: string; text: string } {
  switch (event.type) {
    case "points.digest":
      return {
        subject: `[Margin] ${event.count} 個新論點 new points: ${title}`,
        text: [
          `過去一小時「${title}」有 ${event.count} 個新的意見論點待回應。`,
          `${event.count} new point(s) on "${title}" in the past hour await an answer.`,
          "",
          event.url,
        ].join("\n"),
      };
    case "deadline.near":
      return {
        subject: `[Margin] 回應期限將至 Deadline in ${event.daysLeft} day(s): ${title}`,
        text: [
          `「${title}」須於 ${day(event.respondBy)} 前回應，尚有 ${event.unanswered} 個論點未回應。`,
          `"${title}" must be answered by ${day(event.respondBy)}; ${event.unanswered} point(s) are unanswered.`,
          "",
          event.url,
        ].join("\n"),
      };
    case "deadline.passed":
      return {
        subject: `[Margin] 已逾回應期限 Overdue: ${title}`,
        text: [
          `「${title}」已逾 ${day(event.respondBy)} 的回應期限，仍有 ${event.unanswered} 個論點未回應，並公開標示為逾期。`,
          `"${title}" passed its deadline of ${day(event.respondBy)} with ${event.unanswered} point(s) unanswered; they are shown publicly as overdue.`,
          "",
          event.url,
        ].join("\n"),
      };
  }
}
