// Who is signed in: GET /api/auth/me. A 401 there (or anywhere) means "go to the login page".
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Button, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { ME_KEY, logout as signOut, useMeQuery } from '../api/accounts.js';
import type { Me } from '../api/types.js';
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
  return useCallback(async () => {
    try {
      await signOut();
    } finally {
      qc.removeQueries();
      qc.setQueryData(ME_KEY, null);
      await navigate('/login', { replace: true });
    }
  }, [qc, navigate]);
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
