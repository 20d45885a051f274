import { formatDate, t } from "../i18n.ts";
import { api, BASE, session } from "../state.ts";
import { useAsync } from "../use-async.ts";
import { Loaded } from "./Loading.tsx";

export function ConsultationList() {
  const user = session.value?.user;
  const [list, reload] = useAsync(() => api.consultations(), []);
  return (
    <section>
      <div class="row between">
        <h1>{t.value.consultations}</h1>
        <a class="button primary" href={`${BASE}/new`}>
          {t.value.newConsultation}
        </a>
      </div>
      <Loaded value={list} retry={reload}>
        {({ items }) => {
          const mine = items.filter(
            (c) => user?.role === "admin" || c.agency.id === user?.agencyId,
          );
          if (mine.length === 0) return <p>{t.value.noConsultations}</p>;
          return (
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">{t.value.title}</th>
                  <th scope="col">{t.value.statusHeading}</th>
                  <th scope="col">{t.value.closesAt}</th>
                  <th scope="col">{t.value.respondBy}</th>
                </tr>
              </thead>
              <tbody>
                {mine.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <a href={`${BASE}/c/${c.id}`} lang={c.locale}>
                        {c.title}
                      </a>
                    </td>
                    <td>
                      <span class={`badge status-${c.status}`}>{t.value.status[c.status]}</span>
                    </td>
                    <td>{formatDate(c.closesAt)}</td>
                    <td>{formatDate(c.respondBy)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Loaded>
    </section>
  );
}
