// antd's Result (403, 404, load failures) carries its pictures, about 10 kB of gzipped script that
// every first load would fetch for pages hardly anyone sees: it is fetched when one is shown. Should
// that fetch fail too (the server gone), the same texts show without the picture.
import { lazy, Suspense, type ComponentProps, type ComponentType } from 'react';
import type { Result as AntResult } from 'antd';

type ResultProps = ComponentProps<typeof AntResult>;

function PlainResult({ title, subTitle, extra }: ResultProps) {
  return (
    <div role="status" style={{ padding: '48px 32px', textAlign: 'center' }}>
      <h2 style={{ fontSize: 24, margin: '0 0 8px' }}>{title}</h2>
      {subTitle && <div style={{ marginBottom: 24 }}>{subTitle}</div>}
      {extra}
    </div>
  );
}

const Lazy = lazy<ComponentType<ResultProps>>(() =>
  import('antd/es/result/index.js').then(
    (m) => ({ default: m.default }),
    () => ({ default: PlainResult }),
  ),
);

export function Result(props: ResultProps) {
  return (
    <Suspense fallback={null}>
      <Lazy {...props} />
    </Suspense>
  );
}
