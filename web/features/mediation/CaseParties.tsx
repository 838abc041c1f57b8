// A case's parties: side, name, masked ID and phone, and their willingness to mediate (Art. 17). The
// mediator records a party's answer (a refusal ends the case), reveals a party's ID number and phone
// (audited, shown once in a dialog), and makes each party a link of their own to follow the case.
import { useState, type HTMLAttributes } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  newPartyLinks,
  partyPageUrl,
  recordConsent,
  revealParty,
  useCaseUpdate,
  type CaseView,
  type PartyLink,
  type PartyView,
  type RevealedParty,
} from '../../api/mediation.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { ConsentTag } from './labels.js';

/** Links to hand to people, one a line with a copy button (the party's page or the signing page). */
export function LinkList({
  links,
  url,
  testId,
}: {
  links: PartyLink[];
  url: (token: string) => string;
  testId: string;
}) {
  return (
    <ul className="linli-med-rows" data-testid={testId}>
      {links.map((l) => (
        <li key={l.partyId}>
          <span className="linli-med-grow">
            <strong>{l.name}</strong>
            <br />
            <Typography.Text
              copyable={{ text: url(l.token) }}
              className="linli-med-hash"
              data-testid={`${testId}-${l.partyId}`}
            >
              {url(l.token)}
            </Typography.Text>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function CaseParties({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const onError = useFormErrorHandler();
  const update = useCaseUpdate(c.id);
  const [revealed, setRevealed] = useState<{ party: PartyView; value: RevealedParty } | null>(null);
  const [links, setLinks] = useState<PartyLink[] | null>(null);
  const consent = useMutation({
    mutationFn: (v: { partyId: number; consent: 'yes' | 'no' }) => recordConsent(c.id, v),
    onSuccess: (v) => update(v),
    onError: (e) => onError(e),
  });
  const reveal = useMutation({
    mutationFn: (p: PartyView) => revealParty(c.id, p.id).then((value) => ({ party: p, value })),
    onSuccess: setRevealed,
    onError: (e) => onError(e),
  });
  const makeLinks = useMutation({
    mutationFn: () => newPartyLinks(c.id),
    onSuccess: (r) => setLinks(r.items),
    onError: (e) => onError(e),
  });
  const pending = c.parties.filter((p) => p.consent === 'pending').length;
  const hasActions = c.abilities.consent || c.abilities.reveal || c.abilities.links;
  return (
    <Card
      size="small"
      title={t('mediation.partiesN', { n: c.parties.length })}
      id="parties"
      data-testid="case-parties"
      extra={
        c.abilities.links ? (
          <Popconfirm title={t('mediation.partyLinksConfirm')} onConfirm={() => makeLinks.mutate()}>
            <Button loading={makeLinks.isPending} data-testid="party-links">
              {t('mediation.partyLinks')}
            </Button>
          </Popconfirm>
        ) : null
      }
    >
      {c.status === 'received' && pending > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          title={t('mediation.consentPending', { n: pending })}
        />
      )}
      <ResponsiveTable<PartyView>
        rowKey="id"
        size="small"
        dataSource={c.parties}
        pagination={c.parties.length > 10 ? { pageSize: 10 } : false}
        onRow={(p) => ({ 'data-testid': `party-${p.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            key: 'name',
            title: t('mediation.partyName'),
            render: (_: unknown, p: PartyView) => (
              <span>
                {p.name} {p.kind === 'org' && <Tag>{t('mediation.kindLabel.org')}</Tag>}
              </span>
            ),
          },
          {
            key: 'side',
            title: t('mediation.side'),
            render: (_: unknown, p: PartyView) => t(`mediation.sideLabel.${p.side}`),
          },
          {
            key: 'id',
            title: t('mediation.idNumber'),
            render: (_: unknown, p: PartyView) => p.idNumberMasked ?? '—',
          },
          {
            key: 'phone',
            title: t('mediation.phone'),
            render: (_: unknown, p: PartyView) => p.phoneMasked ?? '—',
          },
          {
            key: 'agent',
            title: t('mediation.agent'),
            responsive: ['lg' as const],
            render: (_: unknown, p: PartyView) => p.agent ?? '—',
          },
          {
            key: 'consent',
            title: t('mediation.consentLabel'),
            render: (_: unknown, p: PartyView) => (
              <span>
                <ConsentTag consent={p.consent} />
                {p.online && <Tag>{t('mediation.online')}</Tag>}
              </span>
            ),
          },
          ...(hasActions
            ? [
                {
                  key: 'actions',
                  title: t('common.actions'),
                  render: (_: unknown, p: PartyView) => (
                    <Space wrap size={8}>
                      {c.abilities.consent && (
                        <>
                          <Button
                            onClick={() => consent.mutate({ partyId: p.id, consent: 'yes' })}
                            disabled={p.consent === 'yes' || consent.isPending}
                            data-testid={`consent-yes-${p.id}`}
                          >
                            {t('mediation.consentYes')}
                          </Button>
                          <Popconfirm
                            title={t('mediation.consentNoConfirm')}
                            onConfirm={() => consent.mutate({ partyId: p.id, consent: 'no' })}
                          >
                            <Button
                              danger
                              disabled={p.consent === 'no' || consent.isPending}
                              data-testid={`consent-no-${p.id}`}
                            >
                              {t('mediation.consentNo')}
                            </Button>
                          </Popconfirm>
                        </>
                      )}
                      {c.abilities.reveal && (p.idNumberMasked || p.phoneMasked) && (
                        <Button
                          onClick={() => reveal.mutate(p)}
                          loading={reveal.isPending && reveal.variables?.id === p.id}
                          data-testid={`reveal-${p.id}`}
                        >
                          {t('mediation.reveal')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={revealed !== null}
        title={revealed ? t('mediation.revealTitle', { name: revealed.party.name }) : ''}
        onCancel={() => setRevealed(null)}
        footer={<Button onClick={() => setRevealed(null)}>{t('common.close')}</Button>}
        destroyOnHidden
      >
        {revealed && (
          <>
            <Alert type="info" showIcon title={t('mediation.revealNotice')} style={{ marginBottom: 12 }} />
            <Descriptions column={1} size="small" data-testid="revealed">
              <Descriptions.Item label={t('mediation.idNumber')}>
                <span className="linli-mono">{revealed.value.idNumber ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('mediation.phone')}>
                <span className="linli-mono">{revealed.value.phone ?? '—'}</span>
              </Descriptions.Item>
            </Descriptions>
          </>
        )}
      </Modal>
      <Modal
        open={links !== null}
        title={t('mediation.partyLinks')}
        onCancel={() => setLinks(null)}
        footer={<Button onClick={() => setLinks(null)}>{t('common.close')}</Button>}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('mediation.partyLinksHint')}</Typography.Paragraph>
        {links && <LinkList links={links} url={partyPageUrl} testId="party-link" />}
      </Modal>
    </Card>
  );
}
