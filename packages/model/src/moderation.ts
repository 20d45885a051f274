import * as z from "zod";
import { PasswordSchema, PublicPersonSchema } from "./accounts.ts";
import { IdSchema, Iso } from "./common.ts";

/** Why someone reports a comment. */
export const FlagReasonSchema = z.enum(["spam", "abuse", "off_topic", "personal_data", "other"]);
export type FlagReason = z.infer<typeof FlagReasonSchema>;

export const FlagInputSchema = z
  .strictObject({
    reason: FlagReasonSchema,
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .meta({ id: "FlagInput" });
export type FlagInput = z.infer<typeof FlagInputSchema>;

/** What the person who flagged gets back: their flag and whether it hid the comment. */
export const FlagResultSchema = z
  .object({
    annotationId: IdSchema,
    reason: FlagReasonSchema,
    note: z.string().nullable(),
    createdAt: Iso,
    /** Flags from distinct people not yet dealt with by a moderator. */
    openFlags: z.number().int(),
    /** Whether the annotation is now hidden pending review. */
    hidden: z.boolean(),
  })
  .meta({ id: "FlagResult" });
export type FlagResult = z.infer<typeof FlagResultSchema>;

export const ModerationActionKindSchema = z.enum(["hide", "restore"]);
export type ModerationActionKind = z.infer<typeof ModerationActionKindSchema>;

export const ModerationInputSchema = z
  .strictObject({
    action: ModerationActionKindSchema,
    /** Shown to the author. */
    reason: z.string().trim().min(1, "say why; the author is shown this").max(1000),
  })
  .meta({ id: "ModerationInput" });
export type ModerationInput = z.infer<typeof ModerationInputSchema>;

export const FlagSchema = z
  .object({
    by: PublicPersonSchema,
    reason: FlagReasonSchema,
    note: z.string().nullable(),
    createdAt: Iso,
    /** When a moderator dealt with it (a restore clears the flags before it). */
    resolvedAt: Iso.nullable(),
  })
  .meta({ id: "Flag" });

export const ModerationActionSchema = z
  .object({
    action: z.enum(["hide", "restore", "auto_hide"]),
    reason: z.string(),
    by: PublicPersonSchema.nullable(),
    at: Iso,
  })
  .meta({ id: "ModerationAction" });

export const ModerationItemSchema = z
  .object({
    annotationId: IdSchema,
    status: z.enum(["visible", "withdrawn", "hidden"]),
    hiddenReason: z.string().nullable(),
    text: z.string(),
    author: PublicPersonSchema,
    paragraphKey: z.string().nullable(),
    openFlags: z.number().int(),
    flags: z.array(FlagSchema),
    actions: z.array(ModerationActionSchema),
  })
  .meta({ id: "ModerationItem" });
export type ModerationItem = z.infer<typeof ModerationItemSchema>;

export const ModerationQueueSchema = z
  .object({ items: z.array(ModerationItemSchema) })
  .meta({ id: "ModerationQueue" });

export const PasswordChangeInputSchema = z
  .strictObject({ currentPassword: z.string().min(1).max(200), newPassword: PasswordSchema })
  .meta({ id: "PasswordChangeInput" });
export type PasswordChangeInput = z.infer<typeof PasswordChangeInputSchema>;
