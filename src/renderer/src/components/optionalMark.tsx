import type { ReactNode } from 'react'

/**
 * How a form marks a field the clerk may leave empty: a small grey 可选 after the label. Not antd's
 * "（可选）", which after a label that ends in a bracket — 所属村（社区） — reads as doubled brackets.
 * A field needed in one state and not in another is never marked (its hint says when it is needed).
 */
export function optionalMark(label: ReactNode, info: { required: boolean }): ReactNode {
  if (info.required) return label
  return (
    <>
      {label}
      <span className="optional-mark">可选</span>
    </>
  )
}
