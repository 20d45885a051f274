import type { Carried } from "@margin/store";
import type { ItemView, ResponseView, SyncStateView, SyncView, UserView } from "@margin/ui";
import { z } from "zod";

export type {
  ItemView,
  ResponseView,
  Result,
  SyncStateView,
  SyncView,
  UserView,
} from "@margin/ui";

/**
 * The typed calls between the extension's parts. Content scripts and extension
 * pages send requests with `browser.runtime.sendMessage`; the background checks
 * who sent each one and parses it with these schemas before acting. The
 * content script imports only the types (no zod in the page bundle).
 */

const Url = z.string().min(8).max(4096);
const Id = z.string().min(1).max(100);
const SelectorList = z
  .array(
    z.discriminatedUnion("type", [
      z.strictObject({
        type: z.literal("TextQuoteSelector"),
        exact: z.string().min(1).max(10_000),
        prefix: z.string().max(200).optional(),
        suffix: z.string().max(200).optional(),
      }),
      z.strictObject({
        type: z.literal("TextPositionSelector"),
        start: z.number().int().min(0),
        end: z.number().int().min(0),
      }),
      z.strictObject({ type: z.literal("ParagraphSelector"), key: z.string().min(1).max(200) }),
    ]),
  )
  .min(1)
  .max(5);

/** What a content script may ask. The page's URL comes from the sender, never from the message. */
export const ContentRequestSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("page.hello") }),
  z.strictObject({
    type: z.literal("annotation.create"),
    selectors: SelectorList,
    motivation: z.enum(["commenting", "questioning", "editing", "replying"]),
    text: z.string().trim().min(1).max(10_000),
    suggestion: z.string().trim().min(1).max(10_000).nullable(),
    stance: z.enum(["support", "oppose", "neutral"]),
    parentId: Id.nullable(),
  }),
  z.strictObject({
    type: z.literal("annotation.endorse"),
    id: Id,
    kind: z.enum(["agree", "disagree"]).nullable(),
  }),
  z.strictObject({
    type: z.literal("annotation.own"),
    change: z.discriminatedUnion("type", [
      z.strictObject({
        type: z.literal("edit"),
        id: Id,
        text: z.string().trim().min(1).max(10_000),
      }),
      z.strictObject({ type: z.literal("withdraw"), id: Id }),
      z.strictObject({ type: z.literal("resolve"), id: Id, keep: z.enum(["mine", "theirs"]) }),
    ]),
  }),
  z.strictObject({ type: z.literal("sync.now") }),
  z.strictObject({ type: z.literal("open.options") }),
]);
export type ContentRequest = z.infer<typeof ContentRequestSchema>;

/** What the popup and options pages may ask (only from the extension's own pages). */
export const PageRequestSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("status"), tabId: z.number().int().nullable() }),
  z.strictObject({
    type: z.literal("auth.login"),
    email: z.string().max(254),
    password: z.string().max(200),
  }),
  z.strictObject({
    type: z.literal("auth.register"),
    email: z.string().max(254),
    password: z.string().max(200),
    displayName: z.string().max(80),
  }),
  z.strictObject({ type: z.literal("auth.logout") }),
  z.strictObject({ type: z.literal("service.set"), url: Url }),
  z.strictObject({ type: z.literal("site.enable"), tabId: z.number().int() }),
  z.strictObject({ type: z.literal("site.disable"), origin: Url }),
  z.strictObject({ type: z.literal("consultations.enable") }),
  z.strictObject({ type: z.literal("mine.list") }),
  z.strictObject({ type: z.literal("sync.now") }),
  z.strictObject({ type: z.literal("resolve"), id: Id, keep: z.enum(["mine", "theirs"]) }),
]);
export type PageRequest = z.infer<typeof PageRequestSchema>;

/** Why the extension runs (or not) on a page. */
export interface PageInfo {
  active: boolean;
  /** "consultation": the URL matches a published consultation; "site": turned on by the person. */
  reason: "consultation" | "site" | null;
  consultationId: string | null;
  consultationTitle: string | null;
  source: string;
  user: UserView | null;
}

/** Posted by the background over the page's port whenever its comments change. */
export interface PageState {
  items: ItemView[];
  responses: ResponseView[];
  /** What the consultation's current draft version did to each comment, by id (none on a first version or offline). */
  carried: Record<string, Carried>;
  sync: SyncView;
  user: UserView | null;
}

export interface MineItem {
  id: string;
  source: string;
  quote: string | null;
  text: string;
  syncState: SyncStateView;
  rejection: string | null;
  /** In a conflict, the service's version beside this one (S6). */
  conflict: ItemView["conflict"];
  responses: ResponseView[];
  created: string | null;
}

export interface StatusView {
  serviceUrl: string;
  user: UserView | null;
  sync: SyncView;
  tab: {
    id: number;
    url: string | null;
    origin: string | null;
    consultationTitle: string | null;
    enabled: boolean;
    permitted: boolean;
  } | null;
  sites: string[];
  consultationOrigins: string[];
}
