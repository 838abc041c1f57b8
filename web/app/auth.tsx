// Who is signed in: GET /api/auth/me. A 401 there (or anywhere) means "go to the login page".
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { App, Button, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { ME_KEY, logout as signOut, useMeQuery } from '../api/accounts.js';
import type { Me } from '../api/types.js';
import { browserStore, forgetOutbox, unsentOf } from '../features/defence/outbox.js';
import type { Permission } from '../../common/permissions.js';
import { Result } from './components/LazyResult.js';

export interface AuthValue {
  me: Me;
  can: (p: Permission) => boolean;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside <RequireAuth>');
  return v;
}

export function useLogout(): () => Promise<void> {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const { t } = useTranslation();
  return useCallback(async () => {
    // Passages registered on this phone and not yet sent hold travellers' whole numbers: signing out
    // forgets them, once the person has agreed to lose them.
    const me = qc.getQueryData<Me | null>(ME_KEY);
    const store = browserStore();
    const unsent = me ? unsentOf(store, me.user.id) : 0;
    if (me && unsent > 0) {
      const agreed = await modal.confirm({
        title: t('layout.logoutUnsent.title', { count: unsent }),
        content: t('layout.logoutUnsent.body'),
        okText: t('layout.logoutUnsent.ok'),
        okButtonProps: { danger: true, 'data-testid': 'logout-forget-unsent' },
        cancelText: t('common.cancel'),
      });
      if (!agreed) return;
      forgetOutbox(store, me.user.id);
    }
    try {
      await signOut();
    } finally {
      qc.removeQueries();
      qc.setQueryData(ME_KEY, null);
      await navigate('/login', { replace: true });
    }
  }, [qc, navigate, modal, t]);
}

/** Renders children only for a signed-in user; otherwise redirects to /login, remembering where to return. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const qc = useQueryClient();
  const meQuery = useMeQuery();
  const logout = useLogout();
  const me = meQuery.data;

  const value = useMemo<AuthValue | null>(() => {
    if (!me) return null;
    return {
      me,
      can: (p) => me.abilities[p] === true,
      logout,
      refresh: () => qc.invalidateQueries({ queryKey: ME_KEY }),
    };
  }, [me, logout, qc]);

  if (meQuery.isPending) {
    return (
      <div className="linli-center">
        <Spin size="large" />
      </div>
    );
  }
  if (meQuery.isError) {
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={meQuery.error.message}
        extra={
          <Button type="primary" onClick={() => void meQuery.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!value) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
