// Providers: TanStack Query, antd ConfigProvider (locale follows i18next), the router.
import { useEffect, useState } from 'react';
import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCNLocale from 'antd/es/locale/zh_CN.js';
import enUSLocale from 'antd/es/locale/en_US.js';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.js';
import { ME_KEY } from '../api/accounts.js';
import { phoneTheme, theme } from './theme.js';
import { useIsPhone } from './useIsPhone.js';
import { AppRoutes } from './router.js';

function makeQueryClient(): QueryClient {
  // A 401 from any call means the session is gone: re-ask /me, which sends the user to /login.
  const onError = (err: unknown, isMe: boolean) => {
    if (!isMe && isApiError(err) && err.status === 401 && qc.getQueryData(ME_KEY))
      void qc.invalidateQueries({ queryKey: ME_KEY });
  };
  const qc: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (err, query) => onError(err, query.queryKey[0] === ME_KEY[0]) }),
    mutationCache: new MutationCache({ onError: (err) => onError(err, false) }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (count, err) => !(isApiError(err) && err.status >= 400 && err.status < 500) && count < 2,
      },
    },
  });
  return qc;
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  const isPhone = useIsPhone();
  useEffect(() => {
    document.title = i18n.t('app.title');
  }, [i18n, i18n.language]);
  // The server answers in the language asked: after a switch, what is on screen is fetched again in it.
  const [askedIn, setAskedIn] = useState(i18n.language);
  useEffect(() => {
    if (i18n.language === askedIn) return;
    setAskedIn(i18n.language);
    void queryClient.invalidateQueries();
  }, [i18n.language, askedIn, queryClient]);
  return (
    <QueryClientProvider client={queryClient}>
      {/* No space slipped between a two-character button's characters (登 录): the button's name is
          the word a person reads and says (voice control, screen readers, the browser suite). */}
      <ConfigProvider
        locale={en ? enUSLocale : zhCNLocale}
        theme={isPhone ? phoneTheme : theme}
        button={{ autoInsertSpace: false }}
      >
        <AntApp>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
