import { Alert } from 'antd';
import type { CSSProperties } from 'react';
import { isApiError } from '../../api/client.js';

/** A query or mutation error as an Alert: the problem title, with the detail and request id. */
export function ErrorAlert({ error, style }: { error: unknown; style?: CSSProperties }) {
  if (!error) return null;
  const title = isApiError(error) ? error.title : error instanceof Error ? error.message : String(error);
  const description = isApiError(error)
    ? [error.detail, error.requestId ? `requestId: ${error.requestId}` : ''].filter(Boolean).join(' · ') || undefined
    : undefined;
  return <Alert type="error" showIcon title={title} description={description} style={style} data-testid="error-alert" />;
}
