import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import {
  annotationInput,
  populate,
  startTestService,
  type TestService,
} from "../../test/harness.ts";
import { clusterAll } from "../clustering/clustering.worker.ts";
import { smtpMailer } from "./mail.ts";
import { deliverDue, scanDeadlines, scanNewPoints } from "./notifications.ts";
import { verifyWebhook } from "./webhook-signature.ts";

describe.each(backends)("webhooks to the agency on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  const received: { body: string; signature: string }[] = [];
  let fail = false;
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      if (fail) {
        res.writeHead(503).end();
        return;
      }
      received.push({ body, signature: String(req.headers["margin-signature"]) });
      res.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    receiver.close();
    await s.close();
  });

  it("lets the agency's officials set the webhook and read its secret; nobody else", async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    expect(
      (
        await s.call("PATCH", `/v1/agencies/${p.agency.id}`, {
          token: p.foreignOfficial.token,
          body: { webhookUrl: url },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await s.call("PATCH", `/v1/agencies/${p.agency.id}`, {
          token: p.official.token,
          body: { webhookUrl: url },
        })
      ).status,
    ).toBe(200);
    expect(
      (await s.call("GET", `/v1/agencies/${p.agency.id}/webhook`, { token: p.alice.token })).status,
    ).toBe(403);
    const hook = await s.call("GET", `/v1/agencies/${p.agency.id}/webhook`, {
      token: p.official.token,
    });
    expect(hook.body).toMatchObject({ url, signatureHeader: "Margin-Signature" });
    expect(hook.body.secret.length).toBeGreaterThan(30);
  });

  it("announces each new point once, signed, retrying when the receiver fails", async () => {
    const { secret } = (
      await s.call("GET", `/v1/agencies/${p.agency.id}/webhook`, { token: p.official.token })
    ).body;
    await s.call("POST", "/v1/annotations", {
      token: p.alice.token,
      body: annotationInput(p.consultationId, { text: "Raise the minimum wage every year." }),
    });
    await s.call("POST", "/v1/annotations", {
      token: p.bob.token,
      body: annotationInput(p.consultationId, { text: "Raise the minimum wage every year!" }),
    });
    await clusterAll(s.db, { publicUrl: "http://margin.test" });

    fail = true;
    expect(await deliverDue(s.db, { now: s.clock.now })).toBe(0);
    fail = false;
    // Not yet due again: the failed delivery backs off.
    expect(await deliverDue(s.db, { now: s.clock.now })).toBe(0);
    const later = new Date(s.clock.now.getTime() + 60_000);
    // Two deliverers at once (as two instances would): each job goes out once.
    const [a, b] = await Promise.all([
      deliverDue(s.db, { now: later }),
      deliverDue(s.db, { now: later }),
    ]);
    expect(a + b).toBe(1);
    expect(received).toHaveLength(1);
    const event = JSON.parse(received[0]?.body as string);
    expect(event).toMatchObject({
      type: "point.created",
      consultationId: p.consultationId,
      url: `http://margin.test/c/${p.consultationId}/answers`,
    });
    expect(
      verifyWebhook(secret, received[0]?.body as string, received[0]?.signature as string, later),
    ).toBe(true);
  });

  it("warns once as the deadline nears and once when it passes, while points are unanswered", async () => {
    received.length = 0;
    const inSixDays = new Date(s.clock.now.getTime() + 8 * 86_400_000);
    expect(await scanDeadlines(s.db, inSixDays, "http://margin.test")).toBe(1);
    expect(await scanDeadlines(s.db, inSixDays, "http://margin.test")).toBe(0);
    const passed = new Date(s.clock.now.getTime() + 15 * 86_400_000);
    expect(await scanDeadlines(s.db, passed, "http://margin.test")).toBe(1);
    await deliverDue(s.db, { now: passed });
    expect(received.map((r) => JSON.parse(r.body).type).sort()).toEqual([
      "deadline.near",
      "deadline.passed",
    ]);
    expect(
      JSON.parse(received.find((r) => r.body.includes("passed"))?.body as string).unanswered,
    ).toBe(1);
  });
});

describe.each(backends)("email to the assigned officials over SMTP on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  const mail: { to: string[]; data: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, done) {
      let data = "";
      stream.on("data", (d: Buffer) => (data += d.toString()));
      stream.on("end", () => {
        mail.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        done();
      });
    },
  });
  let mailer: ReturnType<typeof smtpMailer>;
  const decoded = (m: { data: string }) =>
    // nodemailer sends non-ASCII bodies quoted-printable: undo it to read the text
    Buffer.from(
      m.data
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      "latin1",
    ).toString("utf8");

  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
    const port = (smtp.server.address() as AddressInfo).port;
    mailer = smtpMailer(`smtp://127.0.0.1:${port}`, "Margin <margin@gov.example>");
  });
  afterAll(async () => {
    await new Promise<void>((r) => smtp.close(() => r()));
    await s.close();
  });

  it("sends one hourly digest of new points and each deadline warning once, to the officials only", async () => {
    for (const [token, text] of [
      [p.alice.token, "Night shift workers need a lower cap on weekly hours."],
      [p.bob.token, "Please define employer so that platform work is covered."],
    ] as const)
      await s.call("POST", "/v1/annotations", {
        token,
        body: annotationInput(p.consultationId, { text }),
      });
    await clusterAll(s.db, { publicUrl: "http://margin.test" });

    const now = new Date();
    expect(await scanNewPoints(s.db, now, "http://margin.test")).toBe(1);
    expect(await scanNewPoints(s.db, now, "http://margin.test")).toBe(0);
    const inSixDays = new Date(s.clock.now.getTime() + 8 * 86_400_000);
    expect(await scanDeadlines(s.db, inSixDays, "http://margin.test", { email: true })).toBe(1);
    expect(await deliverDue(s.db, { now: inSixDays, mailer })).toBe(2);
    expect(await deliverDue(s.db, { now: inSixDays, mailer })).toBe(0);

    expect(mail).toHaveLength(2);
    for (const m of mail) expect(m.to).toEqual([p.official.email]);
    const [digest, deadline] = mail.map(decoded);
    expect(digest).toContain("2 new point(s)");
    expect(digest).toContain(`http://margin.test/console/c/${p.consultationId}`);
    expect(deadline).toMatch(/must be answered by \d{4}-\d{2}-\d{2}; 2 point\(s\) are unanswered/);
    expect(deadline).toContain("尚有 2 個論點未回應");
  });

  it("drops queued email when SMTP is no longer configured, instead of retrying forever", async () => {
    mail.length = 0;
    const passed = new Date(s.clock.now.getTime() + 15 * 86_400_000);
    expect(await scanDeadlines(s.db, passed, "http://margin.test", { email: true })).toBe(1);
    expect(await deliverDue(s.db, { now: passed, mailer: null })).toBe(0);
    expect(await deliverDue(s.db, { now: passed, mailer })).toBe(0);
    expect(mail).toHaveLength(0);
  });
});
