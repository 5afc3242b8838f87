import { Alert, Empty, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Key, ReactNode } from 'react';
import { errorText } from '../api/error-text';
import { useI18n } from '../i18n/i18n';
import type { UrlPage } from './use-url-page';

interface ApiTableProps<T> {
  list: UrlPage<T>;
  columns: ColumnsType<T>;
  rowKey: keyof T & string;
  /** What to do next when there are no rows: a sentence from the catalogue. */
  empty: ReactNode;
  label: string;
  expandable?: Parameters<typeof Table<T>>[0]['expandable'];
  rowSelection?: { selectedRowKeys: Key[]; onChange(keys: Key[]): void };
}

/**
 * The one table every list uses: rows as the API paged them (never paged in
 * the browser), the total from the server, the API's error in words, an empty
 * state that says what to do, and sideways scrolling inside the table only,
 * so a narrow window never scrolls the page.
 */
export function ApiTable<T extends object>({ list, columns, rowKey, empty, label, expandable, rowSelection }: ApiTableProps<T>) {
  const { t } = useI18n();
  return (
    <div style={{ minWidth: 0, maxWidth: '100%' }}>
      {list.error ? <Alert type="error" showIcon message={errorText(list.error, t)} style={{ marginBottom: 12 }} /> : null}
      <Table<T>
        aria-label={label}
        rowKey={rowKey}
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        scroll={{ x: 'max-content' }}
        expandable={expandable}
        rowSelection={rowSelection}
        // After a failed load the alert above says why; suggesting what to do next would mislead.
        locale={{ emptyText: list.error ? <span /> : <Empty description={empty} /> }}
        pagination={{
          current: list.page,
          pageSize: list.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: false,
          showTotal: (total) => t('list.total', { total }),
          onChange: (page) => list.show({ page }),
        }}
      />
    </div>
  );
}
