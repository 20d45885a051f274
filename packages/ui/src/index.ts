export * from "./CommentItem.tsx";
export * from "./Composer.tsx";
export * from "./highlights.ts";
export * from "./i18n.ts";
export * from "./LatestItems.tsx";
export * from "./own-change.ts";
export * from "./styles.ts";
export * from "./views.ts";
