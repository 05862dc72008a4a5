/** The aftercare register's choices, in a module of their own: the start page's rates need the kinds' names without the register's schemas. */
export const aftercareKindOptions = { released: '刑满释放人员', community_correction: '社区矫正对象' } as const
export const placementOptions = { employed: '就业', farming: '务农', self_employed: '自主创业', unplaced: '未安置' } as const
export const riskOptions = { low: '低', medium: '中', high: '高' } as const
