import { useEffect, useState } from 'react'

/**
 * The moment the first screen's figures are painted. What is not part of that screen (the top bar's
 * search, the operator's dialog, the start page's lower half) waits for it, so that fetching, starting
 * and drawing their code does not hold up the figures the clerk opened the program for. The start page
 * says when; with any other first page (county mode, the set-up) it comes after a second and a half.
 */
let release = () => undefined as void
const painted = new Promise<void>((r) => (release = r))
setTimeout(() => release(), 1500)

/** Runs fn after the browser has painted the frame that shows what was just rendered; returns a cancel. */
export function afterPaint(fn: () => void): () => void {
  let timer: number | undefined
  // a task queued from inside the frame's callback runs once that frame has been painted
  const frame = requestAnimationFrame(() => (timer = window.setTimeout(fn)))
  return () => (cancelAnimationFrame(frame), window.clearTimeout(timer))
}

/** The first screen is on the screen (StartPage calls it once its rates are painted). */
export function firstScreenPainted(): void {
  release()
}

/** true once the first screen has been painted */
export function useFirstScreenPainted(): boolean {
  const [done, setDone] = useState(false)
  useEffect(() => {
    let live = true
    void painted.then(() => live && setDone(true))
    return () => void (live = false)
  }, [])
  return done
}
