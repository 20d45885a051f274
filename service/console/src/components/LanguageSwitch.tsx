import { type Lang, lang, setLang, t } from "../i18n.ts";

const names: Record<Lang, string> = { "zh-Hant": "中文", en: "English" };

/** Two buttons, the current one pressed; each names its language in that language. */
export function LanguageSwitch() {
  return (
    <fieldset class="lang-switch">
      <legend class="visually-hidden">{t.value.language}</legend>
      {(Object.keys(names) as Lang[]).map((l) => (
        <button
          type="button"
          key={l}
          lang={l}
          aria-pressed={lang.value === l}
          onClick={() => setLang(l)}
        >
          {names[l]}
        </button>
      ))}
    </fieldset>
  );
}
