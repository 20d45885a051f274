import type { Selector } from "@margin/model";
import type { ColumnType, Generated, RawBuilder } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Read as parsed JSON; written through `jsonb()` so both back ends store the same. */
type JSONColumnType<T> = ColumnType<T, RawBuilder<T>, RawBuilder<T>>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AgenciesTable {
  id: Generated<string>;
  slug: string;
  name: JSONColumnType<{ "zh-Hant"?: string; en?: string }>;
  domains: string[];
  webhook_url: string | null;
  webhook_secret: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  display_name: string;
  role: "citizen" | "official" | "admin";
  agency_id: string | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ConsultationsTable {
  id: Generated<string>;
  agency_id: string;
  title: string;
  summary: string;
  locale: "zh-Hant" | "en";
  url_patterns: string[];
  opens_at: Timestamp;
  closes_at: Timestamp;
  respond_by: Timestamp;
  status: "draft" | "published" | "concluded";
  current_version: number | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConsultationOfficialsTable {
  consultation_id: string;
  user_id: string;
}

export interface DraftVersionsTable {
  consultation_id: string;
  version: number;
  note: string;
  html: string | null;
  created_by: string;
  created_at: CreatedAt;
}

export interface ParagraphsTable {
  consultation_id: string;
  version: number;
  key: string;
  ordinal: number;
  text: string;
  text_hash: string;
}

export interface AnnotationsTable {
  id: string;
  /** `c:<consultation id>` or `u:<canonical url>`: the unit of sync pull. */
  scope: string;
  consultation_id: string | null;
  source: string;
  selectors: JSONColumnType<Selector[]>;
  paragraph_key: string | null;
  parent_id: string | null;
  motivation: "commenting" | "questioning" | "editing" | "replying";
  text: string;
  suggestion: string | null;
  stance: "support" | "oppose" | "neutral";
  author_id: string;
  created_at: CreatedAt;
  modified_at: Timestamp;
  revision: number;
  status: "visible" | "withdrawn" | "hidden";
  hidden_reason: string | null;
  agree_count: Generated<number>;
  disagree_count: Generated<number>;
  /** The point clustering put it in, and the one it is in after officials' merges and splits. */
  computed_cluster_id: Generated<string | null>;
  cluster_id: Generated<string | null>;
}

export interface EndorsementsTable {
  annotation_id: string;
  user_id: string;
  kind: "agree" | "disagree";
  created_at: CreatedAt;
}

export interface ChangesTable {
  id: Generated<number>;
  scope: string;
  /** Given by `number_changes()` once the writing transaction is certainly over; null until then. */
  seq: Generated<number | null>;
  /** The writing transaction (`pg_current_xact_id()`); null for rows numbered before it was kept. */
  xid: Generated<string | null>;
  entity: "annotation" | "response";
  entity_id: string;
  at: CreatedAt;
}

export interface AppliedMutationsTable {
  user_id: string;
  key: string;
  result: JSONColumnType<object>;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string;
  details: JSONColumnType<Record<string, unknown>>;
}

export interface ResponsesTable {
  id: Generated<string>;
  consultation_id: string;
  target_type: "cluster" | "paragraph" | "annotation";
  target_id: string;
  official_id: string;
  text: string;
  disposition: "adopted" | "partly_adopted" | "not_adopted" | "explained" | "out_of_scope";
  cites_version: number | null;
  cites_paragraph: string | null;
  status: "draft" | "published";
  revision: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
  published_at: Timestamp | null;
}

export interface ResponseRevisionsTable {
  response_id: string;
  revision: number;
  text: string;
  disposition: ResponsesTable["disposition"];
  official_id: string;
  at: Timestamp;
}

export interface ClustersTable {
  id: string;
  consultation_id: string;
  paragraph_key: string | null;
  representative_id: string;
  size: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ClusterExemplarsTable {
  annotation_id: string;
  consultation_id: string;
  scope: string;
  cluster_id: string;
  text_key: string;
  shingles: string;
  signature: string;
  weight: number;
}

export interface ClusterBandsTable {
  consultation_id: string;
  scope: string;
  band: number;
  hash: number;
  exemplar_id: string;
}

export interface ClusterOverridesTable {
  id: Generated<number>;
  consultation_id: string;
  kind: "merge" | "split";
  from_cluster: string | null;
  into_cluster: string | null;
  member_id: string | null;
  actor_id: string;
  at: CreatedAt;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: JSONColumnType<Record<string, unknown>>;
  dedupe_key: string | null;
  run_at: UpdatedAt;
  attempts: Generated<number>;
  locked_until: Timestamp | null;
  done_at: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
}

export interface ParagraphChangesTable {
  consultation_id: string;
  to_version: number;
  ordinal: number;
  old_key: string | null;
  kind: "unchanged" | "moved" | "edited" | "split" | "merged" | "removed" | "new";
  new_keys: string[];
  similarity: number | null;
}

export interface AnnotationCarryTable {
  annotation_id: string;
  version: number;
  status: "intact" | "changed" | "orphaned";
  paragraph_key: string | null;
  old_text: string | null;
  new_text: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  hits: number;
  expires_at: Timestamp;
}

export interface AnnotationFlagsTable {
  annotation_id: string;
  user_id: string;
  reason: "spam" | "abuse" | "off_topic" | "personal_data" | "other";
  note: string | null;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
}

export interface ModerationActionsTable {
  id: Generated<number>;
  annotation_id: string;
  consultation_id: string | null;
  actor_id: string | null;
  action: "hide" | "restore" | "auto_hide";
  reason: string;
  at: Timestamp;
}

/** Kept by triggers on annotations (migration 7); the unanchored bucket's key is ''. */
export interface ParagraphStatsTable {
  consultation_id: string;
  paragraph_key: string;
  comments: number;
  people: number;
  agree: number;
  support: number;
  oppose: number;
  neutral: number;
  questions: number;
  suggestions: number;
}

export interface Database {
  paragraph_stats: ParagraphStatsTable;
  rate_limits: RateLimitsTable;
  annotation_flags: AnnotationFlagsTable;
  moderation_actions: ModerationActionsTable;
  paragraph_changes: ParagraphChangesTable;
  annotation_carry: AnnotationCarryTable;
  jobs: JobsTable;
  clusters: ClustersTable;
  cluster_exemplars: ClusterExemplarsTable;
  cluster_bands: ClusterBandsTable;
  cluster_overrides: ClusterOverridesTable;
  responses: ResponsesTable;
  response_revisions: ResponseRevisionsTable;
  agencies: AgenciesTable;
  users: UsersTable;
  sessions: SessionsTable;
  consultations: ConsultationsTable;
  consultation_officials: ConsultationOfficialsTable;
  draft_versions: DraftVersionsTable;
  paragraphs: ParagraphsTable;
  annotations: AnnotationsTable;
  endorsements: EndorsementsTable;
  changes: ChangesTable;
  applied_mutations: AppliedMutationsTable;
  audit_log: AuditLogTable;
}
