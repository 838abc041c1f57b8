// A case's evidence: each file kept with its SHA-256, so a copy shown later can be checked against it;
// the mediator adds a file, optionally as one party's.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Select, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { addEvidence, evidenceUrl, useCaseUpdate, type CaseView } from '../../api/mediation.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { LIMITS } from '../../../common/limits.js';
import { MEDIATION_LIMITS } from '../../../common/contracts/mediation-codes.js';
import { formatMinute } from './dates.js';

const kb = (n: number) =>
  n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

export function EvidenceCard({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const onError = useFormErrorHandler();
  const update = useCaseUpdate(c.id);
  const [partyId, setPartyId] = useState<number | undefined>();
  const [added, setAdded] = useState<{ name: string; sha256: string } | null>(null);
  const names = new Map(c.parties.map((p) => [p.id, p.name]));
  const upload = useMutation({
    mutationFn: (file: File) => addEvidence(c.id, file, partyId),
    // The answer is the piece of evidence as kept: its hash is shown; the case is refetched to list it.
    onSuccess: (e) => {
      update();
      setAdded({ name: e.name, sha256: e.sha256 });
    },
    onError: (e) => onError(e),
  });
  const full = c.evidence.length >= MEDIATION_LIMITS.evidencePerCase;
  return (
    <Card
      size="small"
      title={t('mediation.evidenceN', { n: c.evidence.length })}
      id="evidence"
      data-testid="case-evidence"
    >
      {c.evidence.length === 0 && <p className="linli-muted">{t('mediation.noEvidence')}</p>}
      <ul className="linli-med-rows">
        {c.evidence.map((e) => (
          <li key={e.id} data-testid={`evidence-${e.id}`}>
            <span className="linli-med-grow">
              <a href={evidenceUrl(c.id, e.id)} target="_blank" rel="noopener noreferrer">
                {e.name}
              </a>{' '}
              <span className="linli-muted">
                {kb(e.size)} · {formatMinute(e.createdAt)}
                {e.partyId !== null && ` · ${names.get(e.partyId) ?? ''}`}
              </span>
              <div className="linli-med-hash">SHA-256 {e.sha256}</div>
            </span>
          </li>
        ))}
      </ul>
      {added && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setAdded(null) }}
          style={{ margin: '8px 0' }}
          title={t('mediation.evidenceAdded', { name: added.name })}
          description={
            <span className="linli-med-hash" data-testid="evidence-sha">
              SHA-256 {added.sha256}
            </span>
          }
        />
      )}
      {c.abilities.evidence && !full && (
        <div className="linli-med-actions" style={{ marginTop: 8 }}>
          <Select<number>
            allowClear
            value={partyId}
            onChange={setPartyId}
            placeholder={t('mediation.evidenceParty')}
            aria-label={t('mediation.evidenceParty')}
            style={{ flex: '1 1 200px', minWidth: 0 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={c.parties.map((p) => ({
              value: p.id,
              label: `${p.name} · ${t(`mediation.sideLabel.${p.side}`)}`,
            }))}
          />
          <Upload
            showUploadList={false}
            beforeUpload={(f) => {
              if (f.size > LIMITS.directiveFileBytes) {
                onError(
                  new Error(t('mediation.fileTooBig', { mb: LIMITS.directiveFileBytes / 1024 / 1024 })),
                );
                return false;
              }
              upload.mutate(f);
              return false;
            }}
          >
            <Button type="primary" loading={upload.isPending} data-testid="evidence-add">
              {t('mediation.addEvidence')}
            </Button>
          </Upload>
        </div>
      )}
    </Card>
  );
}
