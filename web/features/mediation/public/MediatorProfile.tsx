// A mediator's public profile (调解员介绍), as a party reads it from their own page without signing in:
// name, organisation, area, the kinds of dispute they take, qualification, their own introduction and
// how many open cases they hold. Nothing else about them (no phone, no account) leaves the server.
import { useState } from 'react';
import { Button, Descriptions, Modal, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePublicMediator } from '../../../api/mediation.js';
import { ErrorAlert } from '../../../app/components/ErrorAlert.js';
import { PageSpin } from '../../../app/components/PageSpin.js';

export function MediatorProfileLink({ mediator }: { mediator: { id: number; name: string } }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const q = usePublicMediator(mediator.id, open);
  const m = q.data;
  return (
    <>
      <Button
        type="link"
        className="linli-med-profile-link"
        onClick={() => setOpen(true)}
        data-testid="party-mediator"
      >
        {t('mediation.pub.yourMediator', { name: mediator.name })}
      </Button>
      <Modal
        open={open}
        title={t('mediation.pub.mediatorProfile')}
        onCancel={() => setOpen(false)}
        footer={
          <Button type="primary" block onClick={() => setOpen(false)}>
            {t('common.close')}
          </Button>
        }
        width={560}
        destroyOnHidden
      >
        {q.isLoading && <PageSpin />}
        {q.isError && <ErrorAlert error={q.error} />}
        {m && (
          <div data-testid="mediator-profile">
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {m.name}
            </Typography.Title>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('mediation.pub.mediatorOrg')}>{m.organisation}</Descriptions.Item>
              <Descriptions.Item label={t('mediation.pub.mediatorArea')}>{m.area}</Descriptions.Item>
              <Descriptions.Item label={t('mediation.pub.mediatorSpecialties')}>
                {m.specialties.length === 0
                  ? '—'
                  : m.specialties.map((s) => <Tag key={s}>{t(`mediation.type.${s}`)}</Tag>)}
              </Descriptions.Item>
              <Descriptions.Item label={t('mediation.pub.mediatorQualification')}>
                {m.qualification ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('mediation.pub.mediatorLoad')}>
                {t('mediation.pub.mediatorLoadN', { n: m.load })}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
              {m.profile ?? t('mediation.pub.noProfile')}
            </Typography.Paragraph>
          </div>
        )}
      </Modal>
    </>
  );
}
