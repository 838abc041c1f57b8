// /sweeps/:id?node= — a sweep's progress (摸排进度) at a node: done of targets, high-risk answers, a bar
// per child (tap to go down), the grids furthest behind; at a grid, its list and the seconded cadres
// paired with it (managers pair and unpair them). The results of the node export to XLSX (audited).
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { App, Button, Card, Popconfirm, Progress, Select, Tag } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../../api/client.js';
import {
  closeSweep,
  exportSweep,
  pairHelper,
  sweepKeys,
  unpairHelper,
  useHelperCandidates,
  usePairings,
  useSweep,
  useSweepProgress,
} from '../../api/screening.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { percent } from './SweepsPage.js';
import './screening.css';

function Pairings({ sweepId, gridId, manage }: { sweepId: number; gridId: number; manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const pairings = usePairings(sweepId, gridId);
  const candidates = useHelperCandidates(sweepId, manage ? gridId : undefined);
  const [user, setUser] = useState<number | undefined>();
  const done = () => void qc.invalidateQueries({ queryKey: sweepKeys.all });
  const pair = useMutation({
    mutationFn: () => pairHelper(sweepId, gridId, user!),
    onSuccess: () => {
      done();
      setUser(undefined);
      void message.success(t('sweep.paired'));
    },
    onError: (e) => onError(e),
  });
  const unpair = useMutation({
    mutationFn: (userId: number) => unpairHelper(sweepId, gridId, userId),
    onSuccess: () => {
      done();
      void message.success(t('sweep.unpaired'));
    },
    onError: (e) => onError(e),
  });
  const items = pairings.data?.items ?? [];
  return (
    <Card size="small" title={t('sweep.pairings')} style={{ marginBottom: 12 }} data-testid="pairings">
      {pairings.isError && <ErrorAlert error={pairings.error} />}
      {items.length === 0 && <p className="linli-muted">{t('sweep.noPairings')}</p>}
      <ul className="linli-targets">
        {items.map((p) => (
          <li key={`${p.grid.id}-${p.user.id}`} className="linli-target">
            <span className="linli-target-who">
              {p.user.name} <span className="linli-muted">{p.user.node}</span>
            </span>
            {manage && (
              <Button onClick={() => unpair.mutate(p.user.id)} loading={unpair.isPending}>
                {t('sweep.unpair')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {manage && (
        <div className="linli-sweep-actions">
          <Select
            style={{ flex: '1 1 200px', minHeight: 44 }}
            value={user}
            onChange={setUser}
            placeholder={t('sweep.pairUser')}
            aria-label={t('sweep.pairUser')}
            data-testid="pair-user"
            options={(candidates.data?.items ?? []).map((c) => ({
              value: c.userId,
              label: `${c.name} · ${c.node}`,
            }))}
          />
          <Button
            type="primary"
            disabled={user === undefined}
            loading={pair.isPending}
            onClick={() => pair.mutate()}
          >
            {t('sweep.pair')}
          </Button>
        </div>
      )}
    </Card>
  );
}

export default function SweepDetailPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const [search] = useSearchParams();
  const nodeParam = search.get('node');
  const node = nodeParam ? Number(nodeParam) : undefined;
  const sweep = useSweep(id);
  const progress = useSweepProgress(id, node);
  const s = sweep.data;
  const p = progress.data;
  const atGrid = p?.level === 'grid';
  const exporting = useMutation({
    mutationFn: () => exportSweep(id, p?.nodeId),
    onSuccess: (blob) => {
      saveBlob(blob, `sweep-${id}-${p?.name ?? ''}.xlsx`);
      void message.success(t('sweep.exported'));
    },
    onError: (e) => onError(e),
  });
  const closing = useMutation({
    mutationFn: () => closeSweep(id),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: sweepKeys.all });
      void message.success(t('sweep.closed'));
    },
    onError: (e) => onError(e),
  });
  return (
    <div>
      <div className="linli-page-title">
        <h1>{s ? s.name : t('sweep.title')}</h1>
        <span className="linli-sweep-actions" style={{ marginTop: 0 }}>
          {node !== undefined && (
            <Link to={`/sweeps/${id}`} className="linli-link-button" data-testid="sweep-top">
              {t('sweep.toTop')}
            </Link>
          )}
          <Link to="/sweeps" className="linli-link-button">
            {t('sweep.listTitle')}
          </Link>
        </span>
      </div>
      {sweep.isError && <ErrorAlert error={sweep.error} />}
      {progress.isError && <ErrorAlert error={progress.error} />}
      {s && (
        <p className="linli-muted">
          {s.command.name} · {s.questionnaire.title} · {t('sweep.deadlineOn', { date: s.deadline })}{' '}
          {s.status === 'closed' && <Tag>{t('sweep.closed')}</Tag>}
        </p>
      )}
      {p && (
        <>
          <Card size="small" title={`${t('sweep.progress')} · ${p.name}`} style={{ marginBottom: 12 }}>
            <Progress
              percent={percent(p.done, p.targets)}
              format={() => `${p.done}/${p.targets}`}
              aria-label={t('sweep.progress')}
              data-testid="sweep-node-progress"
            />
            <p style={{ margin: '4px 0 0' }} data-testid="sweep-high">
              <Tag color={p.high > 0 ? 'red' : 'default'}>{t('sweep.high', { n: p.high })}</Tag>
            </p>
            <div className="linli-sweep-actions">
              {atGrid && (
                <Link
                  to={`/sweeps/${id}/list?node=${p.nodeId}`}
                  className="linli-link-button"
                  data-testid="sweep-grid-list"
                >
                  {t('sweep.myList')}
                </Link>
              )}
              {s?.abilities.export && (
                <Button
                  onClick={() => exporting.mutate()}
                  loading={exporting.isPending}
                  data-testid="sweep-export"
                >
                  {t('sweep.export')}
                </Button>
              )}
              {s?.abilities.close && node === undefined && (
                <Popconfirm title={t('sweep.closeConfirm')} onConfirm={() => closing.mutate()}>
                  <Button danger loading={closing.isPending}>
                    {t('sweep.close')}
                  </Button>
                </Popconfirm>
              )}
            </div>
          </Card>
          {p.children.length > 0 && (
            <Card size="small" title={t('sweep.children')} style={{ marginBottom: 12 }}>
              <ul className="linli-progress-rows" data-testid="sweep-children">
                {p.children.map((c) => (
                  <li key={c.nodeId}>
                    <Link to={`/sweeps/${id}?node=${c.nodeId}`}>{c.name}</Link>
                    <Progress
                      percent={percent(c.done, c.targets)}
                      format={() => `${c.done}/${c.targets}`}
                      aria-label={c.name}
                      size="small"
                    />
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {!atGrid && (
            <Card size="small" title={t('sweep.laggards')} style={{ marginBottom: 12 }}>
              {p.laggards.length === 0 && <p className="linli-muted">{t('sweep.noLaggards')}</p>}
              <ul className="linli-progress-rows" data-testid="sweep-laggards">
                {p.laggards.map((g) => (
                  <li key={g.nodeId}>
                    <Link to={`/sweeps/${id}?node=${g.nodeId}`}>{g.name}</Link>
                    <Progress
                      percent={percent(g.done, g.targets)}
                      format={() => `${g.done}/${g.targets}`}
                      aria-label={g.name}
                      size="small"
                      status="exception"
                    />
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {atGrid && s && <Pairings sweepId={id} gridId={p.nodeId} manage={s.abilities.manage} />}
        </>
      )}
    </div>
  );
}
