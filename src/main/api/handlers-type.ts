import type { ApiOutput, MethodName, ParsedInput } from '../../shared/api/contract'
import type { Ctx } from '../context'

/** A handler gets the already-validated input. It may throw ApiError; anything else is a bug. */
export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: Ctx) => ApiOutput<M> | Promise<ApiOutput<M>>

export type Handlers = { [M in MethodName]: Handler<M> }

/** Each capability exports its part of the map; handlers.ts checks that together they cover the contract. */
export type HandlerMap<K extends MethodName> = { [M in K]: Handler<M> }
