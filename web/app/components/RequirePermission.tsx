import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth.js';
import { Result } from './LazyResult.js';
import type { Permission } from '../../../common/permissions.js';

/** Renders children only when the user holds `needs` (any one of a list); otherwise a 403 result. */
export function RequirePermission({
  needs,
  children,
}: {
  needs: Permission | readonly Permission[];
  children: ReactNode;
}) {
  const { can } = useAuth();
  const { t } = useTranslation();
  if (!(typeof needs === 'string' ? [needs] : needs).some((p) => can(p)))
    return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
  return <>{children}</>;
}
