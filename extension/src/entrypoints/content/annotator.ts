import {
  anchorAllYielding,
  closestIn,
  describe,
  type Found,
  keptPlaces,
  type Paragraph,
  paragraphRange,
  paragraphs,
  toAnchor,
  withContext,
} from "@margin/anchoring";
import {
  words as catalogue,
  createHighlighter,
  type Draft,
  type ItemView,
  type Locale,
  type OwnActions,
  type Result,
  repliesByParent,
  responsesFor as responsesOf,
} from "@margin/ui";
import { computed, effect, signal } from "@preact/signals";
import type { ContentRequest, PageInfo, PageState } from "../../shared/messages.ts";
import { pageWords } from "../../shared/page-ui/page-words.ts";
import { ask } from "./messaging.ts";

export type View = { kind: "closed" } | { kind: "all" } | { kind: "paragraph"; key: string };

export interface ComposerTarget {
  selectors: ReturnType<typeof describe>;
  quote: string;
  paragraphKey: string | null;
}

/** Labels paragraphs for people: their position on the page (keys are for machines). */
export function paragraphLabel(paras: Paragraph[], key: string): string {
  const i = paras.findIndex((p) => p.key === key);
  return i === -1 ? key : String(i + 1);
}

/**
 * The page side of Margin: which paragraphs can be commented on, where each
 * comment anchors, what is highlighted, and what the panel shows. Pure state
 * over the document passed in; components read it, the content script wires
 * it to the background.
 */
export function createAnnotator(
  win: Window & typeof globalThis,
  info: PageInfo,
  host: () => Element | null,
) {
  const doc = win.document;
  const root = doc.body;
  const state = signal<PageState>({
    items: [],
    responses: [],
    carried: {},
    sync: { online: true, syncing: false, pending: 0, lastError: null },
    user: info.user,
  });
  const locale = signal<Locale>("en");
  const t = computed(() => pageWords(catalogue[locale.value], locale.value));
  const paras = signal<Paragraph[]>([]);
  const anchors = signal<Map<string, Range | null>>(new Map());
  const layout = signal(0);
  const view = signal<View>({ kind: "closed" });
  const composer = signal<ComposerTarget | null>(null);
  const selection = signal<{ range: Range; top: number; left: number } | null>(null);
  const announcement = signal("");
  const activeId = signal<string | null>(null);
  const focusKey = signal<string | null>(null);

  // The same list while only the sync state changes: nothing below is worked out again.
  const items = computed(() => state.value.items);
  const topLevel = computed(() => items.value.filter((i) => i.parentId === null));

  /**
   * On paragraphs the revised draft removed: listed apart, in every page of the
   * consultation, even where a page not yet updated still shows their words.
   */
  const isRemoved = (i: ItemView) => state.value.carried[i.id]?.status === "orphaned";
  const removed = computed(() => topLevel.value.filter(isRemoved));

  const paragraphByElement = computed(
    () => new Map<Node, string>(paras.value.map((p) => [p.element, p.key])),
  );
  const paragraphOfRange = (range: Range): string | null =>
    closestIn(range.startContainer, paragraphByElement.value) ?? null;

  /** Item → paragraph key on this page, or null when it does not anchor here. */
  const placement = computed(() => {
    const keys = new Set(paras.value.map((p) => p.key));
    const out = new Map<string, string | null>();
    for (const item of topLevel.value) {
      const range = anchors.value.get(item.id);
      if (!range || isRemoved(item)) {
        out.set(item.id, null);
        continue;
      }
      out.set(
        item.id,
        item.paragraphKey && keys.has(item.paragraphKey)
          ? item.paragraphKey
          : paragraphOfRange(range),
      );
    }
    return out;
  });

  /** Anchored here, per paragraph key. */
  const byParagraph = computed(() => {
    const m = new Map<string, ItemView[]>();
    for (const item of topLevel.value) {
      const key = placement.value.get(item.id);
      if (!key) continue;
      const list = m.get(key) ?? [];
      list.push(item);
      m.set(key, list);
    }
    return m;
  });

  /** Made on this page but their words are gone: listed apart, never placed on the wrong words. */
  const orphans = computed(() =>
    topLevel.value.filter(
      (i) =>
        i.source === info.source &&
        anchors.value.has(i.id) &&
        anchors.value.get(i.id) === null &&
        !isRemoved(i),
    ),
  );

  /** The same, to look up by: a list's includes() per comment was quadratic in the page's comments. */
  const orphanSet = computed(() => new Set(orphans.value));

  const onPage = computed(() =>
    topLevel.value.filter((i) => placement.value.get(i.id) || orphanSet.value.has(i)),
  );

  function revisionOf(item: ItemView) {
    return state.value.carried[item.id];
  }

  const replies = computed(() => repliesByParent(items.value));
  const repliesOf = (id: string): ItemView[] => replies.value.get(id) ?? [];

  function responsesFor(item: ItemView) {
    return responsesOf(state.value.responses, item);
  }

  function readParagraphs() {
    paras.value = paragraphs(root);
  }

  let anchorRun: AbortController | null = null;
  /** Where each comment was found: only new or changed ones are looked for, until the page's text changes. */
  let found = new Map<string, Found<Range>>();
  async function anchorAllItems(textChanged = false) {
    if (textChanged) found = new Map();
    const list = topLevel.value;
    const looked = toAnchor(list, found);
    if (looked.length === 0 && list.length === found.size) return; // none new, none gone
    anchorRun?.abort();
    const run = new AbortController();
    anchorRun = run;
    try {
      const ranges = await anchorAllYielding(
        root,
        looked.map(({ item }) => withContext(item.selectors)),
        { budgetMs: 8, signal: run.signal },
      );
      found = keptPlaces(list, found, looked, ranges);
      anchors.value = new Map(list.map((i) => [i.id, found.get(i.id)?.range ?? null]));
    } catch {
      // aborted by a newer run
    }
  }

  const highlighter = createHighlighter(win);

  function selectorsForParagraph(key: string): ComposerTarget | null {
    const p = paras.value.find((x) => x.key === key);
    if (!p) return null;
    const range = paragraphRange(root, p);
    const selectors = describe(root, range);
    const quote = selectors.find((s) => s.type === "TextQuoteSelector");
    return {
      selectors,
      quote: quote && "exact" in quote ? quote.exact : p.text,
      paragraphKey: key,
    };
  }

  function openParagraph(key: string, compose: boolean) {
    view.value = { kind: "paragraph", key };
    focusKey.value = key;
    if (compose || (byParagraph.value.get(key)?.length ?? 0) === 0) {
      composer.value = selectorsForParagraph(key);
    } else composer.value = null;
  }

  function composeForSelection() {
    const sel = selection.value;
    if (!sel) return false;
    const selectors = describe(root, sel.range);
    const quote = selectors.find((s) => s.type === "TextQuoteSelector");
    if (!quote || !("exact" in quote)) return false;
    const key = paragraphOfRange(sel.range);
    composer.value = { selectors, quote: quote.exact, paragraphKey: key };
    view.value = key ? { kind: "paragraph", key } : { kind: "all" };
    if (key) focusKey.value = key;
    selection.value = null;
    return true;
  }

  async function send(target: ComposerTarget, draft: Draft): Promise<Result<{ id: string }>> {
    const res = await create({
      selectors: target.selectors,
      motivation: draft.motivation,
      text: draft.text,
      suggestion: draft.motivation === "editing" ? draft.suggestion : null,
      stance: draft.stance,
      parentId: null,
    });
    if (res.ok) {
      composer.value = null;
      activeId.value = res.value.id;
    }
    return res;
  }

  /** A reply to a comment on this page; the background files it where its comment lives. */
  function reply(item: ItemView, text: string): Promise<Result<{ id: string }>> {
    return create({
      selectors: item.selectors,
      motivation: "replying",
      text,
      suggestion: null,
      stance: "neutral",
      parentId: item.id,
    });
  }

  /** Asks the background to keep a new comment or reply, and says where it went. */
  async function create(
    request: Omit<Extract<ContentRequest, { type: "annotation.create" }>, "type">,
  ): Promise<Result<{ id: string }>> {
    const res = await ask<{ id: string }>({ type: "annotation.create", ...request });
    if (res.ok)
      announce(state.value.sync.online && state.value.user ? t.value.saved : t.value.savedOffline);
    return res;
  }

  function announce(text: string) {
    announcement.value = "";
    setTimeout(() => {
      announcement.value = text;
    }, 50);
  }

  /** The person's own comments: edit, withdraw, settle a conflict or a refusal. */
  const own: OwnActions = {
    onEdit: (item, text) =>
      ask({ type: "annotation.own", change: { type: "edit", id: item.id, text } }),
    onWithdraw: (item) =>
      ask({ type: "annotation.own", change: { type: "withdraw", id: item.id } }),
    onResolve: (item, keep) =>
      ask({ type: "annotation.own", change: { type: "resolve", id: item.id, keep } }),
  };

  function endorse(item: ItemView) {
    void ask({
      type: "annotation.endorse",
      id: item.id,
      kind: item.myEndorsement === "agree" ? null : "agree",
    });
  }

  function showInText(item: ItemView) {
    const range = anchors.value.get(item.id);
    if (!range) return;
    activeId.value = item.id;
    const el = range.startContainer.parentElement;
    el?.scrollIntoView({ block: "center", behavior: "smooth" });
    announce(range.toString().slice(0, 140));
  }

  /** Which comment's words are under a point of the page, if any (a click on a highlight). */
  function itemAtPoint(x: number, y: number): ItemView | null {
    const d = doc as Document & {
      caretPositionFromPoint?: (
        x: number,
        y: number,
      ) => { offsetNode: Node; offset: number } | null;
      caretRangeFromPoint?: (x: number, y: number) => Range | null;
    };
    let node: Node | null = null;
    let offset = 0;
    const pos = d.caretPositionFromPoint?.(x, y);
    if (pos) {
      node = pos.offsetNode;
      offset = pos.offset;
    } else {
      const r = d.caretRangeFromPoint?.(x, y);
      if (r) {
        node = r.startContainer;
        offset = r.startOffset;
      }
    }
    if (!node) return null;
    for (const item of onPage.value) {
      const range = anchors.value.get(item.id);
      try {
        if (range?.isPointInRange(node, offset)) return item;
      } catch {
        // a point in another document fragment
      }
    }
    return null;
  }

  function captureSelection() {
    const sel = win.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) {
      selection.value = null;
      return;
    }
    const range = sel.getRangeAt(0);
    const h = host();
    if (h && (h.contains(range.startContainer) || h.contains(range.endContainer))) return;
    if (!root.contains(range.commonAncestorContainer) || range.toString().trim() === "") {
      selection.value = null;
      return;
    }
    const rects = range.getClientRects();
    const last = rects[rects.length - 1] ?? range.getBoundingClientRect();
    selection.value = {
      range: range.cloneRange(),
      top: last.bottom + win.scrollY + 6,
      left: Math.max(4, last.right + win.scrollX - 60),
    };
  }

  const disposers: Array<() => void> = [];
  disposers.push(
    effect(() => {
      void topLevel.value;
      void paras.value;
      void anchorAllItems();
    }),
  );
  disposers.push(
    effect(() => {
      const all: Range[] = [];
      const active: Range[] = [];
      for (const item of onPage.value) {
        const r = anchors.value.get(item.id);
        if (!r) continue;
        all.push(r);
        if (item.id === activeId.value) active.push(r);
      }
      highlighter.paint(all, active);
      host()?.setAttribute("data-highlights", String(all.length));
    }),
  );
  disposers.push(() => highlighter.dispose());
  disposers.push(() => anchorRun?.abort());

  return {
    info,
    root,
    state,
    locale,
    t,
    paras,
    anchors,
    layout,
    view,
    composer,
    selection,
    announcement,
    activeId,
    focusKey,
    byParagraph,
    orphans,
    orphanSet,
    removed,
    onPage,
    revisionOf,
    repliesOf,
    responsesFor,
    readParagraphs,
    anchorAllItems,
    openParagraph,
    composeForSelection,
    send,
    reply,
    endorse,
    own,
    showInText,
    itemAtPoint,
    captureSelection,
    announce,
    dispose() {
      for (const d of disposers.splice(0)) d();
    },
  };
}

export type Annotator = ReturnType<typeof createAnnotator>;
