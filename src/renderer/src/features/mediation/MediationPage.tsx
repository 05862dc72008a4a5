import type { MediationCase } from '../../../../shared/mediation/schema'
import { mediationRegister } from '../../../../shared/registers/mediation'
import { RegisterPage, type RegisterScreen } from '../../components/RegisterPage'
import { CaseForm } from './CaseForm'

const screen: RegisterScreen<MediationCase> = {
  addLabel: '登记纠纷',
  openLabel: '办理',
  totalUnit: '件',
  deleteHint: '编号不会再次使用；删除后可在提示中撤销。',
}

export function MediationPage({ openId, filter }: { openId?: string; filter?: string }) {
  return <RegisterPage definition={mediationRegister} form={CaseForm} screen={screen} openId={openId} filter={filter} />
}
