/**
 * The extension's words in Traditional Chinese and English. The browser's
 * language decides unless the person picked one (settings `locale`).
 */
export type Locale = "zh-Hant" | "en";

const en = {
  panelLabel: "Margin comments",
  close: "Close",
  allComments: "All comments on this page",
  showEarlier: (n: number) => `Show earlier comments (${n.toLocaleString("en")})`,
  paragraphThread: (label: string) => `Paragraph ${label}`,
  noComments: "No comments yet. Select words or press a paragraph's button to comment.",
  orphans: "Comments whose words are no longer on this page",
  showInText: "Show in the text",
  quoted: "On the words",
  kind: "Kind",
  comment: "Comment",
  question: "Question",
  rewording: "Suggested rewording",
  reply: "Reply",
  yourReply: "Your reply",
  stance: "Your position",
  support: "Support",
  oppose: "Oppose",
  neutral: "Neutral",
  yourText: "Your comment",
  proposedText: "Proposed wording",
  send: "Send",
  cancel: "Cancel",
  write: "Write a comment",
  plusOne: "+1",
  plusOneLabel: (n: number) => `Agree (+1); ${n} agree`,
  pending: "Waiting to sync",
  synced: "Synced",
  conflict: "Changed elsewhere: choose a version",
  rejected: "Not accepted",
  officialResponse: "Official response",
  disposition: {
    adopted: "Adopted",
    partly_adopted: "Partly adopted",
    not_adopted: "Not adopted",
    explained: "Explained",
    out_of_scope: "Out of scope",
  } as Record<string, string>,
  signInToSend: "Sign in to send it; until then it is kept in this browser.",
  signIn: "Sign in",
  saved: "Comment saved.",
  savedOffline: "Comment saved; it will be sent when the service can be reached.",
  writeSomething: "Write something first.",
  needProposal: "Write the proposed wording.",
  you: "You",
  anonymous: "Someone",
  consultationPage: (title: string) => `Registered consultation: ${title}`,
  // popup / options
  save: "Save",
  signUp: "Sign up",
  signOut: "Sign out",
  email: "Email",
  password: "Password",
  displayName: "Name shown with your comments",
  signedInAs: (name: string) => `Signed in as ${name}`,
  syncNow: "Sync now",
  pendingCount: (n: number) => `${n} waiting to sync`,
  allSynced: "Everything is synced",
  offline: "Offline",
  keepMine: "Keep mine",
  takeTheirs: "Take theirs",
  edit: "Edit",
  editLabel: "Edit your comment",
  withdraw: "Withdraw",
  withdrawAsk: "Withdraw this comment? It stays listed as withdrawn, without its text.",
  keepIt: "Keep it",
  withdrawnNote: "Withdrawn",
  twoVersions: "Two versions of your comment",
  yourVersion: "Your version here",
  theirVersion: "On the service",
  theirsWithdrawn: "You withdrew it on another device.",
  theirsHidden: "A moderator hid it.",
  sendAgain: "Send again",
  discard: "Discard",
  // widget
  frameOnly:
    "This is Margin's comment panel. It opens beside a consultation's text on the agency's page.",
  orphanNote: "The page's text changed and these words are no longer in it.",
  paragraphChanged: "The revised draft changed this paragraph. The comment was about:",
  removedInRevision: "Comments on paragraphs the revised draft removed",
  memoryOnly:
    "This browser does not let Margin keep your work on this site: sign in and send while this page is open. On the consultation's page at Margin, your work is kept offline.",
};

type Words = typeof en;

const zh: Words = {
  panelLabel: "Margin 意見",
  close: "關閉",
  allComments: "本頁所有意見",
  showEarlier: (n) => `顯示較早的意見（${n.toLocaleString("zh-Hant")} 則）`,
  paragraphThread: (label) => `段落 ${label}`,
  noComments: "尚無意見。選取文字或按段落旁的按鈕即可提出意見。",
  orphans: "原文已不在本頁的意見",
  showInText: "在內文中顯示",
  quoted: "針對文字",
  kind: "類型",
  comment: "意見",
  question: "提問",
  rewording: "修正建議",
  reply: "回覆",
  yourReply: "您的回覆",
  stance: "您的立場",
  support: "贊成",
  oppose: "反對",
  neutral: "中立",
  yourText: "您的意見",
  proposedText: "建議文字",
  send: "送出",
  cancel: "取消",
  write: "撰寫意見",
  plusOne: "+1",
  plusOneLabel: (n) => `附議（+1）；${n} 人附議`,
  pending: "等待同步",
  synced: "已同步",
  conflict: "已在他處修改：請選擇版本",
  rejected: "未被接受",
  officialResponse: "機關回應",
  disposition: {
    adopted: "採納",
    partly_adopted: "部分採納",
    not_adopted: "不採納",
    explained: "說明",
    out_of_scope: "非本案範圍",
  },
  signInToSend: "登入後即可送出；在此之前意見會保存在此瀏覽器中。",
  signIn: "登入",
  saved: "意見已儲存。",
  savedOffline: "意見已儲存；連線後會自動送出。",
  writeSomething: "請先填寫內容。",
  needProposal: "請填寫建議文字。",
  you: "您",
  anonymous: "某人",
  consultationPage: (title) => `已登記的徵詢案：${title}`,
  save: "儲存",
  signUp: "註冊",
  signOut: "登出",
  email: "電子郵件",
  password: "密碼",
  displayName: "意見旁顯示的名稱",
  signedInAs: (name) => `已登入：${name}`,
  syncNow: "立即同步",
  pendingCount: (n) => `${n} 則等待同步`,
  allSynced: "全部已同步",
  offline: "離線",
  keepMine: "保留我的版本",
  takeTheirs: "採用伺服器版本",
  edit: "編輯",
  editLabel: "編輯您的意見",
  withdraw: "撤回",
  withdrawAsk: "要撤回這則意見嗎？它仍會列出並標示為已撤回，但不再顯示內容。",
  keepIt: "保留",
  withdrawnNote: "已撤回",
  twoVersions: "您的意見有兩個版本",
  yourVersion: "您在此處的版本",
  theirVersion: "伺服器上的版本",
  theirsWithdrawn: "您已在另一部裝置上撤回。",
  theirsHidden: "已被管理者隱藏。",
  sendAgain: "重新送出",
  discard: "捨棄",
  frameOnly: "這是 Margin 的意見面板，會在機關網頁的草案旁開啟。",
  orphanNote: "網頁內容已變更，這些意見所針對的文字已不在頁面上。",
  paragraphChanged: "修正草案已修改此段落。本意見原本針對：",
  removedInRevision: "修正草案已刪除段落上的意見",
  memoryOnly:
    "此瀏覽器不允許 Margin 在此網站保存您的資料：請在本頁開啟時登入並送出。在 Margin 的徵詢頁面上，您的意見可離線保存。",
};

export const words: Record<Locale, Words> = { en, "zh-Hant": zh };
/** One language's catalogue alone: the widget's sidebar is built once per language (widget/build.ts). */
export { en as enWords, zh as zhWords };

/**
 * The words the in-page part shows (the buttons beside paragraphs, the launcher), apart from the
 * panel's: the widget's in-page script, loaded on every visit to an agency's page, and its
 * sidebar then each carry only their own.
 */
const enInPage = {
  margin: "Margin",
  // Also in the panel's words: a reference to them would pull the whole catalogue in.
  panelLabel: "Margin comments",
  paragraphs: "Paragraphs you can comment on",
  paragraphButton: (n: number, label: string) =>
    n === 0
      ? `Comment on paragraph ${label}`
      : `${n} ${n === 1 ? "comment" : "comments"} on paragraph ${label}; open`,
  commentOnSelection: "Comment on the selected words",
  openPanel: (n: number) => `Comments on this page: ${n}`,
};

export type InPageWords = typeof enInPage;

export const inPageWords: Record<Locale, InPageWords> = {
  en: enInPage,
  "zh-Hant": {
    margin: "Margin",
    panelLabel: "Margin 意見",
    paragraphs: "可評論的段落",
    paragraphButton: (n, label) =>
      n === 0 ? `對第 ${label} 段提出意見` : `第 ${label} 段有 ${n} 則意見；開啟`,
    commentOnSelection: "對選取的文字提出意見",
    openPanel: (n) => `本頁意見：${n} 則`,
  },
};

export type { Words };

export function browserLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    const lower = l.toLowerCase();
    if (lower.startsWith("zh")) return "zh-Hant";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

export function resolveLocale(setting: "auto" | Locale, languages: readonly string[]): Locale {
  return setting === "auto" ? browserLocale(languages) : setting;
}

export const htmlLang = (l: Locale) => (l === "zh-Hant" ? "zh-Hant-TW" : "en");
