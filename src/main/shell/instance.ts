/**
 * One program per profile: a second start hands over to the first (Electron's single-instance lock
 * and its 'second-instance' event) and the first brings its window to the front.
 */
export interface Focusable {
  isDestroyed: () => boolean
  isMinimized: () => boolean
  restore: () => void
  show: () => void
  focus: () => void
}

/** Returns whether a window was there to bring forward. */
export function bringToFront(win: Focusable | null | undefined): boolean {
  if (!win || win.isDestroyed()) return false
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
  return true
}
