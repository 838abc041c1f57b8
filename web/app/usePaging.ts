// A server-paged list's page and size, and the table's pagination for them: a new page size starts
// again at the first page, and so does a change of filter (`first`).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function usePaging(pageSize = 10) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize });
  return {
    paging,
    first: () => setPaging((p) => ({ ...p, page: 1 })),
    /** The table's `pagination` for a list of `total` records. */
    pagination: (total: number | undefined) => ({
      current: paging.page,
      pageSize: paging.pageSize,
      total: total ?? 0,
      showTotal: (n: number) => t('common.total', { total: n }),
      onChange: (page: number, size: number) =>
        setPaging({ page: size !== paging.pageSize ? 1 : page, pageSize: size }),
    }),
  };
}
