import { type InPageWords, inPageWords, type Locale, type Words } from "@margin/ui";

/**
 * Words only the extension uses (its popup, options page and page panel): kept out of
 * @margin/ui, whose catalogue the widget's sidebar carries too (it has a 60 KB budget).
 */
const en = {
  otherPage: "Comments on this page are public to everyone with Margin.",
  language: "Language",
  options: "Settings",
  langAuto: "Browser language",
  serviceUrl: "Service address",
  thisSite: "This site",
  turnOn: "Turn Margin on for this site",
  turnOff: "Turn Margin off for this site",
  isOn: "Margin is on for this site.",
  notAWebPage: "This tab is not a web page.",
  allowConsultations: "Allow Margin on the sites of registered consultations",
  myComments: "My comments",
  noMine: "You have not commented yet.",
  denied: "The browser did not grant access.",
  sites: "Sites Margin is on",
};

const zh: typeof en = {
  otherPage: "本頁的意見對所有安裝 Margin 的人公開。",
  language: "語言",
  options: "設定",
  langAuto: "依瀏覽器語言",
  serviceUrl: "服務網址",
  thisSite: "此網站",
  turnOn: "在此網站啟用 Margin",
  turnOff: "在此網站停用 Margin",
  isOn: "Margin 已在此網站啟用。",
  notAWebPage: "此分頁不是網頁。",
  allowConsultations: "允許 Margin 在已登記徵詢案的網站上執行",
  myComments: "我的意見",
  noMine: "您尚未提出意見。",
  denied: "瀏覽器未授予權限。",
  sites: "已啟用 Margin 的網站",
};

export type PageWords = Words & InPageWords & typeof en;

const page: Record<Locale, typeof en> = { en, "zh-Hant": zh };

export function pageWords(words: Words, locale: Locale): PageWords {
  return { ...words, ...inPageWords[locale], ...page[locale] };
}
