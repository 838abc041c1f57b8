import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth.js';
import { Result } from './LazyResult.js';
import type { Permission } from '../../../common/permissions.js';

/** Renders children only when the user holds `needs`; otherwise a 403 result. */
export function RequirePermission({ needs, children }: { needs: Permission; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useTranslation();
  if (!can(needs)) return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
  return <>{children}</>;
}
