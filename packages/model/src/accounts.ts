import * as z from "zod";
import { IdSchema, Iso } from "./common.ts";

export const RoleSchema = z.enum(["citizen", "official", "admin"]);
export type Role = z.infer<typeof RoleSchema>;

export const EmailSchema = z
  .email()
  .max(254)
  .transform((s) => s.toLowerCase());
export const PasswordSchema = z.string().min(10, "use at least 10 characters").max(200);
export const DisplayNameSchema = z.string().trim().min(1).max(80);

export const RegisterInputSchema = z
  .strictObject({ email: EmailSchema, password: PasswordSchema, displayName: DisplayNameSchema })
  .meta({ id: "RegisterInput" });
export const LoginInputSchema = z
  .strictObject({ email: EmailSchema, password: z.string().min(1).max(200) })
  .meta({ id: "LoginInput" });

/** Officials and admins are made by an admin (or an agency's admin official), never by sign-up. */
export const CreateUserInputSchema = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema,
    displayName: DisplayNameSchema,
    role: RoleSchema,
    agencyId: IdSchema.nullable().default(null),
  })
  .refine((u) => (u.role === "official") === (u.agencyId !== null), {
    message: "an official belongs to exactly one agency; citizens and admins to none",
    path: ["agencyId"],
  })
  .meta({ id: "CreateUserInput" });

export const UserSchema = z
  .object({
    id: IdSchema,
    email: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    agencyId: IdSchema.nullable(),
    createdAt: Iso,
  })
  .meta({ id: "User" });
export type User = z.infer<typeof UserSchema>;

/** What the public sees of a person: never the email address. */
export const PublicPersonSchema = z
  .object({ id: IdSchema, displayName: z.string(), role: RoleSchema })
  .meta({ id: "PublicPerson" });
export type PublicPerson = z.infer<typeof PublicPersonSchema>;

export const SessionSchema = z
  .object({ token: z.string(), expiresAt: Iso, user: UserSchema })
  .meta({ id: "Session" });
export type Session = z.infer<typeof SessionSchema>;

export const AgencyInputSchema = z
  .strictObject({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lower-case letters, digits and dashes"),
    name: z.strictObject({
      "zh-Hant": z.string().min(1).max(200).optional(),
      en: z.string().min(1).max(200).optional(),
    }),
    domains: z
      .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "a host name like www.mol.gov.tw"))
      .max(50)
      .default([]),
    webhookUrl: z.string().url().max(2048).nullable().default(null),
  })
  .meta({ id: "AgencyInput" });
export type AgencyInput = z.infer<typeof AgencyInputSchema>;

export const AgencySchema = z
  .object({
    id: IdSchema,
    slug: z.string(),
    name: z.object({ "zh-Hant": z.string().optional(), en: z.string().optional() }),
    domains: z.array(z.string()),
  })
  .meta({ id: "Agency" });
export type Agency = z.infer<typeof AgencySchema>;

export const AgencyPatchSchema = z
  .strictObject({
    name: AgencyInputSchema.shape.name.optional(),
    domains: AgencyInputSchema.shape.domains.unwrap().optional(),
    webhookUrl: z.string().url().max(2048).nullable().optional(),
  })
  .meta({ id: "AgencyPatch" });

/** Only for the agency's own officials: where its webhooks go and the secret they are signed with. */
export const AgencyWebhookSchema = z
  .object({
    url: z.string().nullable(),
    secret: z.string(),
    signatureHeader: z.literal("Margin-Signature"),
  })
  .meta({ id: "AgencyWebhook" });
