// /passages/:id — one passage: where and when, which way, the vehicle, where from and to, and each
// traveller (masked as the server answers), their answers, risk and hand-off.
import { useParams, useNavigate } from 'react-router';
import { Button, Card, Descriptions, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePassage } from '../../api/passages.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { formatTime } from '../../app/format.js';
import { DirectionTag, RiskTag } from './tags.js';
import { regionLabel } from './RegionPicker.js';
import { useNoIdLabel } from '../people/labels.js';

export default function PassageDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const noIdLabel = useNoIdLabel();
  const { id } = useParams();
  const passageId = /^\d+$/.test(id ?? '') ? Number(id) : undefined;
  const passage = usePassage(passageId);
  const p = passage.data;
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('passages.detailTitle')}</h1>
        <Button onClick={() => void navigate('/passages')}>{t('passages.back')}</Button>
      </div>
      {passage.isError && <ErrorAlert error={passage.error} />}
      {passage.isLoading && <Spin />}
      {p && (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="passage-detail">
          <Card size="small">
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('passages.plate')}>
                <Space wrap>
                  <span className="linli-mono">{p.plate ?? t('passages.onFoot')}</span>
                  <DirectionTag direction={p.direction} />
                  <RiskTag risky={p.risky} />
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('passages.vehicleType')}>
                {p.vehicleType ? t(`passages.vehicle.${p.vehicleType}`) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('passages.checkpoint')}>{p.checkpoint.name}</Descriptions.Item>
              <Descriptions.Item label={t('passages.registeredAt')}>
                {formatTime(p.registeredAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('passages.registeredBy')}>{p.registeredBy.name}</Descriptions.Item>
              <Descriptions.Item label={t('passages.origin')}>
                {p.originRegion ? regionLabel(p.originRegion) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('passages.destination')}>
                {p.destinationNode?.name ?? (p.destinationRegion ? regionLabel(p.destinationRegion) : '—')}
              </Descriptions.Item>
              <Descriptions.Item label={t('passages.purpose')}>{p.purpose ?? '—'}</Descriptions.Item>
            </Descriptions>
          </Card>
          {p.people.map((x, i) => (
            <Card
              key={x.id}
              size="small"
              data-testid={`passage-detail-person-${x.id}`}
              title={
                <Space wrap>
                  {`${t('passages.personN', { n: i + 1 })} · ${x.name}`}
                  <RiskTag risky={x.risky} reasons={x.reasons} />
                  {x.handoffId !== null && <Tag color="orange">{t('passages.handoff')}</Tag>}
                  {x.personId !== null && <Tag color="blue">{t('passages.linked')}</Tag>}
                </Space>
              }
            >
              <Descriptions column={{ xs: 1, md: 3 }} size="small">
                <Descriptions.Item label={t('passages.idNumber')}>
                  {x.idNumber ? (
                    <Typography.Text className="linli-mono">{x.idNumber}</Typography.Text>
                  ) : (
                    (x.noIdReason && noIdLabel(x.noIdReason)) || '—'
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('passages.phone')}>
                  {x.phone ? <span className="linli-mono">{x.phone}</span> : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('passages.temperature')}>
                  {x.temperature ?? '—'}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          ))}
        </Space>
      )}
    </div>
  );
}
