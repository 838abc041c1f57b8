// A filled scale's answers (its reading is audited by the server): every item with the answer chosen,
// the items that raised a crisis flag marked, the total and its band; and the same as a FHIR R4 Bundle
// to download. Opened from a case's list of scales filled.
import { Drawer, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { responseFhirUrl, useCareResponse } from '../../api/care.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useLabel } from '../../app/format.js';
import { useIsPhone } from '../../app/useIsPhone.js';
import { formatMinute } from '../mediation/dates.js';
import { crisisItemKeys } from './model.js';

export function ResponseDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const isPhone = useIsPhone();
  const q = useCareResponse(id ?? undefined);
  const r = id !== null ? q.data : undefined;
  const flagged = crisisItemKeys(r?.crisis ?? []);
  const bandFlag = (r?.crisis ?? []).some((c) => c.kind === 'band');
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={isPhone ? '100%' : 560}
      title={r ? t('care.responseTitle', { scale: r.scale, name: r.person.name }) : t('care.answers')}
      destroyOnHidden
    >
      {q.isError && <ErrorAlert error={q.error} />}
      {q.isLoading && <Spin />}
      {r && (
        <div data-testid="care-response">
          <p className="linli-care-response-head">
            <span>{formatMinute(r.submittedAt)}</span>
            <span>{r.node.name}</span>
          </p>
          <p className="linli-care-response-total">
            {t('care.totalOf', { total: r.total, max: r.maxTotal })} · {label(r.band.label)}
            {r.crisis.length > 0 && (
              <Tag color="red" style={{ marginInlineStart: 8 }}>
                {t('care.crisisFlag')}
              </Tag>
            )}
            {bandFlag && <Tag color="red">{t('care.reasonBand')}</Tag>}
          </p>
          <ol className="linli-care-answers">
            {r.items.map((it) => {
              const crisis = flagged.has(it.key);
              return (
                <li
                  key={it.key}
                  className={crisis ? 'linli-care-answer is-crisis' : 'linli-care-answer'}
                  data-testid={`care-answer-${it.key}`}
                >
                  <div className="linli-care-answer-q">
                    {t('care.itemNo', { key: it.key })}
                    {label(it.label)}
                    {!it.scored && <Tag style={{ marginInlineStart: 8 }}>{t('care.notScored')}</Tag>}
                    {crisis && (
                      <Tag color="red" style={{ marginInlineStart: 8 }}>
                        {t('care.crisisItem')}
                      </Tag>
                    )}
                  </div>
                  <div className="linli-care-answer-a">
                    {it.answer ? label(it.answer) : t('care.unanswered')}
                    {it.value !== null && <span className="linli-muted">{` (${it.value})`}</span>}
                  </div>
                </li>
              );
            })}
          </ol>
          <Space wrap>
            <a
              href={responseFhirUrl(r.id)}
              download={`care-response-${r.id}.fhir.json`}
              className="linli-link-button linli-care-fhir"
            >
              {t('care.downloadFhir')}
            </a>
          </Space>
        </div>
      )}
    </Drawer>
  );
}
