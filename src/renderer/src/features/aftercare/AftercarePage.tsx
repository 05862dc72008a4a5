import type { AftercarePerson } from '../../../../shared/aftercare/schema'
import { aftercareRegister } from '../../../../shared/registers/aftercare'
import { RegisterPage, type RegisterScreen } from '../../components/RegisterPage'
import { PersonForm } from './PersonForm'

// the form stays open after saving: the visit log below it needs the saved person
const screen: RegisterScreen<AftercarePerson> = { openLabel: '详情', totalUnit: '人', keepOpenOnSave: true }

export function AftercarePage({ openId, filter }: { openId?: string; filter?: string }) {
  return <RegisterPage definition={aftercareRegister} form={PersonForm} screen={screen} openId={openId} filter={filter} />
}
