import { z } from 'zod'
import { idInput, listInput, method, type ListResult, type MethodDef } from '../api/define'
import { labelsOf, type RegisterDefinition } from './define'

const fullFlag = { fullId: z.boolean().optional() }
const getFull = () => z.strictObject({ id: idInput.shape.id, ...fullFlag })
const listFull = <F extends z.ZodRawShape>(filters: F) => listInput(filters).extend(fullFlag)

type IdOnly = typeof idInput

/**
 * A register's six record methods, derived from its definition: `${api}.create/get/list/update/
 * delete/restore`, with the definition's field labels for error messages. The register's schema file
 * gives the zod inputs (its rules) and adds any further methods (stats and the like). `fullId`
 * (registers holding ID numbers) lets get and list return them unmasked on request.
 */
export function registerMethods<R>() {
  return <const P extends string, C extends z.ZodType, U extends z.ZodType, F extends z.ZodRawShape, const Full extends boolean = false>(
    prefix: P,
    def: Pick<RegisterDefinition<never>, 'api' | 'fields' | 'fullId'>,
    io: { create: C; update: U; filters: F; fullId?: Full },
  ) => {
    if (def.api !== prefix) throw new Error(`register api ${def.api} is not ${prefix}`)
    if (Boolean(def.fullId) !== Boolean(io.fullId)) throw new Error(`register ${prefix}: fullId differs from its definition`)
    const labels = labelsOf(def)
    return {
      [`${prefix}.create`]: method<R>('record')(io.create, labels),
      [`${prefix}.get`]: method<R>('none')(io.fullId ? getFull() : idInput),
      [`${prefix}.list`]: method<ListResult<R>>('none')(io.fullId ? listFull(io.filters) : listInput(io.filters), labels),
      [`${prefix}.update`]: method<R>('record')(io.update, labels),
      [`${prefix}.delete`]: method<{ id: string }>('record')(idInput),
      [`${prefix}.restore`]: method<R>('record')(idInput),
    } as { [K in `${P}.create`]: MethodDef<C, R> } & { [K in `${P}.get`]: MethodDef<Full extends true ? ReturnType<typeof getFull> : IdOnly, R> } & {
      [K in `${P}.list`]: MethodDef<Full extends true ? ReturnType<typeof listFull<F>> : ReturnType<typeof listInput<F>>, ListResult<R>>
    } & { [K in `${P}.update`]: MethodDef<U, R> } & { [K in `${P}.delete`]: MethodDef<IdOnly, { id: string }> } & { [K in `${P}.restore`]: MethodDef<IdOnly, R> }
  }
}
