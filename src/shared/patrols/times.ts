/**
 * Patrol times, one rule for the form, the handler, imports and the demo: an end earlier than the
 * start is the next morning (跨夜), for at most MAX_OVERNIGHT_MINUTES; equal times are no patrol.
 */
export const MAX_OVERNIGHT_MINUTES = 12 * 60

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5))

/** Minutes from start to end; an end earlier than the start is on the next day. 0 when they are equal. */
export function patrolMinutes(startTime: string, endTime: string): number {
  const d = minutesOf(endTime) - minutesOf(startTime)
  return d >= 0 ? d : d + 24 * 60
}

export function isOvernight(startTime: string, endTime: string): boolean {
  return minutesOf(endTime) < minutesOf(startTime)
}

/** Why these times are not a patrol, or null when they are. */
export function patrolTimeRefusal(startTime: string, endTime: string): string | null {
  if (startTime === endTime) return '结束时间应晚于开始时间'
  if (isOvernight(startTime, endTime) && patrolMinutes(startTime, endTime) > MAX_OVERNIGHT_MINUTES)
    return `结束时间应晚于开始时间（跨夜巡逻按次日结束计，最长${MAX_OVERNIGHT_MINUTES / 60}小时）`
  return null
}

/** An accepted overnight patrol (the form shows 跨夜 only for these). */
export function isValidOvernight(startTime: string, endTime: string): boolean {
  return isOvernight(startTime, endTime) && patrolTimeRefusal(startTime, endTime) === null
}
