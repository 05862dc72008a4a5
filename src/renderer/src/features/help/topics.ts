/**
 * 使用说明: the common tasks, step by step, each with the screenshot the e2e run makes of that screen
 * (tests/e2e/help.e2e.test.ts writes them to src/renderer/public/help/, so they always show the
 * program as it is).
 */
export interface HelpTopic {
  key: string
  title: string
  /** open this page to do it */
  page: string
  steps: string[]
  /** public/help/<shot>.png */
  shot: string
}

export const helpTopics: HelpTopic[] = [
  {
    key: 'setup',
    title: '第一次使用：设置乡镇和村（社区）',
    page: 'org',
    shot: 'help-org',
    steps: [
      '第一次打开时填写乡镇（街道）名称、区划代码和所属县区，点“开始使用”。',
      '在左侧菜单“组织机构”中添加各村（社区）、网格和单位；村（社区）也可以用“导入Excel”一次导入。',
      '在“设置”中填写操作员姓名和案件编号格式，页面会显示下一个编号的样子。',
    ],
  },
  {
    key: 'member',
    title: '添加一名成员',
    page: 'members',
    shot: 'help-member',
    steps: [
      '左侧菜单点“成员台账”，再点“新增成员”。',
      '填写姓名、身份证号（出生日期和性别自动识别）、电话，选择职务/角色和所属村（社区）。',
      '按回车或点“保存”。有错误时，所有错误一起标在对应的栏目下，第一处错误会自动滚到眼前。',
      '保存后，新成员显示在表格最上方并高亮。',
    ],
  },
  {
    key: 'patrol',
    title: '登记一次巡逻',
    page: 'patrols',
    shot: 'help-patrol',
    steps: [
      '左侧菜单点“巡逻台账”，再点“登记巡逻”。',
      '选择村（社区）、参加人员和带队人，填写日期和起止时间；结束时间早于开始时间的，自动按跨夜（次日结束）处理。',
      '填写巡逻路线、发现问题和处理情况，保存。',
    ],
  },
  {
    key: 'case',
    title: '登记一件矛盾纠纷',
    page: 'mediation',
    shot: 'help-case',
    steps: [
      '左侧菜单点“矛盾纠纷台账”，再点“登记纠纷”。',
      '填写受理日期、来源、类型、所属村（社区）、简要情况和当事人（至少一名申请人和一名被申请人）。',
      '调处后把状态改为“调解中”“调解成功”等；调解成功或不成功的案件没有填结案日期的，按调解日期结案。',
      '案件编号保存时自动生成；在案件里可以直接打印案卷。',
    ],
  },
  {
    key: 'backup',
    title: '备份到U盘',
    page: 'backup',
    shot: 'help-backup',
    steps: [
      '程序会自动备份；重要操作前也可以点“立即备份”。',
      '插上U盘，点“备份到U盘/文件夹”，在列表里选中U盘（只插了一个U盘时已自动选好），点“开始备份”。',
      '备份写好后会重新打开检查，并告诉您备份的时间和各台账的记录数。',
    ],
  },
  {
    key: 'handoff',
    title: '报送到县区',
    page: 'handoff',
    shot: 'help-handoff',
    steps: [
      '左侧菜单点“数据报送”，选择报送的年度。',
      '选中U盘（或下载数据包后自己拷到U盘），点“生成数据包”。',
      '把U盘交给县区；县区在“县区汇总”中导入，预览无误后确认。',
    ],
  },
]

export const shortcuts: { keys: string; what: string }[] = [
  { keys: 'Ctrl + K', what: '跳到顶部的搜索框，查找人员或案件' },
  { keys: '回车（在表单中）', what: '保存正在填写的记录' },
  { keys: 'Esc', what: '关闭抽屉；有未保存的修改时会先问“放弃修改？”' },
  { keys: '回车（在表格中）', what: '打开选中的记录' },
  { keys: '方向键（在表格中）', what: '在记录之间移动' },
]
