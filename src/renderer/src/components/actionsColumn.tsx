import { Button, Popconfirm, Space } from 'antd'
import type { ColDef } from 'ag-grid-community'

/**
 * The 操作 column every register grid ends with: open the record, and delete it after a confirmation
 * (deletes are tombstones, so the notice after it offers 撤销).
 */
export function actionsColumn<T>(o: {
  openLabel: string
  onOpen: (row: T) => void
  onDelete: (row: T) => void
  confirmTitle: (row: T) => string
  confirmHint?: string
}): ColDef<T> {
  return {
    headerName: '操作',
    colId: 'actions',
    sortable: false,
    // two links and the grid's own scroll bar beside them
    width: 112,
    minWidth: 112,
    pinned: 'right',
    cellRenderer: (p: { data?: T }) =>
      p.data ? (
        <Space size={0}>
          <Button size="small" type="link" onClick={() => o.onOpen(p.data!)}>
            {o.openLabel}
          </Button>
          <Popconfirm
            title={o.confirmTitle(p.data)}
            description={o.confirmHint ?? '删除后可在提示中撤销。'}
            okText="删除"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={() => o.onDelete(p.data!)}
          >
            <Button size="small" type="link" danger>
              删除
            </Button>
          </Popconfirm>
        </Space>
      ) : null,
  }
}
