import { Button, type App } from 'antd'

type Notify = ReturnType<typeof App.useApp>['notification']

/** After a delete: a notice with 撤销 that restores the record (deletes are tombstones, so undo is cheap). */
export function offerUndo(notification: Notify, what: string, undo: () => Promise<unknown>, after: () => void): void {
  const key = `undo-${Date.now()}`
  notification.success({
    key,
    message: `已删除${what}`,
    description: '如是误删，可立即撤销。',
    duration: 8,
    placement: 'bottomRight',
    btn: (
      <Button
        type="primary"
        size="small"
        onClick={() => {
          notification.destroy(key)
          void undo().then(after)
        }}
      >
        撤销
      </Button>
    ),
  })
}

type Message = ReturnType<typeof App.useApp>['message']

/** Every register's delete: tombstone it, refresh, and offer 撤销; a refusal (e.g. a village still in use) is shown as is. */
export async function deleteWithUndo(
  ui: { message: Message; notification: Notify },
  what: string,
  del: () => Promise<unknown>,
  restore: () => Promise<unknown>,
  after: () => void,
): Promise<void> {
  try {
    await del()
    after()
    offerUndo(ui.notification, what, restore, after)
  } catch (e) {
    ui.message.error(e instanceof Error ? e.message : String(e))
  }
}
