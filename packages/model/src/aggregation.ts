import * as z from "zod";
import { AgencySchema, PublicPersonSchema } from "./accounts.ts";
import { StanceSchema } from "./annotations.ts";
import { IdSchema, Iso } from "./common.ts";

const StanceSplitSchema = z.object({
  support: z.number().int(),
  oppose: z.number().int(),
  neutral: z.number().int(),
});

export const ParagraphSummarySchema = z
  .object({
    paragraphKey: z.string().nullable(),
    comments: z.number().int(),
    people: z.number().int(),
    agree: z.number().int(),
    stance: StanceSplitSchema,
    questions: z.number().int(),
    suggestions: z.number().int(),
  })
  .meta({ id: "ParagraphSummary" });
export type ParagraphSummary = z.infer<typeof ParagraphSummarySchema>;

export const ConsultationSummarySchema = z
  .object({
    consultationId: IdSchema,
    totals: ParagraphSummarySchema.omit({ paragraphKey: true }),
    paragraphs: z.array(ParagraphSummarySchema),
  })
  .meta({ id: "ConsultationSummary" });
export type ConsultationSummary = z.infer<typeof ConsultationSummarySchema>;

/** An aggregated point: comments that say the same thing, folded into one. */
export const PointSchema = z
  .object({
    id: IdSchema,
    paragraphKey: z.string().nullable(),
    size: z.number().int().describe("comments folded into this point"),
    people: z.number().int(),
    agree: z.number().int(),
    stance: StanceSplitSchema,
    representative: z.object({ id: IdSchema, text: z.string(), stance: StanceSchema }),
    campaign: z
      .boolean()
      .describe("a form-letter campaign: many people sent (nearly) the same text"),
    firstAt: Iso,
    answered: z.boolean(),
    overdue: z.boolean(),
    responseIds: z.array(IdSchema),
  })
  .meta({ id: "Point" });
export type Point = z.infer<typeof PointSchema>;

export const ClusterOverrideInputSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("merge"), from: IdSchema, into: IdSchema }),
    z.strictObject({ kind: z.literal("split"), memberId: IdSchema }),
  ])
  .meta({ id: "ClusterOverrideInput" });
export type ClusterOverrideInput = z.infer<typeof ClusterOverrideInputSchema>;

const CountsSchema = z.object({
  total: z.number().int(),
  answered: z.number().int(),
  unanswered: z.number().int(),
  overdue: z.number().int(),
});

export const AccountabilitySchema = z
  .object({
    consultationId: IdSchema,
    respondBy: Iso,
    /** Comments not yet folded into a point (clustering runs moments after they arrive). */
    pending: z.number().int(),
    points: CountsSchema,
    byParagraph: z.array(CountsSchema.extend({ paragraphKey: z.string().nullable() })),
    byOfficial: z.array(
      z.object({
        official: PublicPersonSchema,
        assigned: z.boolean(),
        answered: z.number().int(),
        unansweredAssigned: z.number().int(),
      }),
    ),
  })
  .meta({ id: "Accountability" });
export type Accountability = z.infer<typeof AccountabilitySchema>;

export const ScoreboardSchema = z
  .object({
    generatedAt: Iso,
    agencies: z.array(
      z.object({
        agency: AgencySchema,
        consultations: z.number().int(),
        points: z.number().int(),
        answered: z.number().int(),
        responseRate: z
          .number()
          .nullable()
          .describe("answered / points, null when there are no points"),
        medianDaysToAnswer: z.number().nullable(),
        overdue: z.number().int(),
      }),
    ),
  })
  .meta({ id: "Scoreboard" });
export type Scoreboard = z.infer<typeof ScoreboardSchema>;
