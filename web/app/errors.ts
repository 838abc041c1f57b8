// Problem titles in the user's language. The client asks the server in the UI's language
// (Accept-Language), so a problem's title and issues already come in it, rendered from the one
// registry in common/messages; texts the client makes itself (network, bare HTTP errors) come from
// the same registry by code. Only those two texts are imported here (client-errors.ts): every page
// shows errors, and the whole registry would add some 15 kB to every first load.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { clientErrorMessages as errorMessages } from '../../common/messages/client-errors.js';
import { isApiError, type ProblemIssue } from '../api/client.js';
import { currentLang } from './i18n.js';

export interface ErrorTexts {
  /** The title to show, in the UI's language. */
  title: (err: unknown) => string;
  issue: (issue: ProblemIssue) => string;
}

export function useErrorTexts(): ErrorTexts {
  const { i18n } = useTranslation();
  const lang = currentLang(i18n.language);
  const title = useCallback(
    (err: unknown): string => {
      if (isApiError(err)) {
        if (err.code === 'network') return errorMessages.network[lang];
        if (err.code.startsWith('http.'))
          return errorMessages.http_error[lang].replace('{status}', err.code.slice(5));
        return err.title;
      }
      if (err instanceof Error) return err.message;
      return typeof err === 'string' ? err : JSON.stringify(err);
    },
    [lang],
  );
  const issue = useCallback((i: ProblemIssue): string => i.message, []);
  return { title, issue };
}
