import { Alert } from 'antd';
import type { CSSProperties } from 'react';
import { isApiError } from '../../api/client.js';
import { useErrorTexts } from '../errors.js';

/** A query or mutation error as an Alert: the problem title, with the detail and request id. */
export function ErrorAlert({ error, style }: { error: unknown; style?: CSSProperties }) {
  const texts = useErrorTexts();
  if (!error) return null;
  const parts = isApiError(error)
    ? [
        error.detail,
        ...error.issues.map((i) => texts.issue(i)),
        error.requestId ? `requestId: ${error.requestId}` : '',
      ]
    : [];
  const description = parts.filter(Boolean).join(' · ') || undefined;
  return (
    <Alert
      type="error"
      showIcon
      title={texts.title(error)}
      description={description}
      style={style}
      data-testid="error-alert"
    />
  );
}
