import { createContext, useContext } from 'react'
import type { Township } from '../../shared/org/schema'

/** Which page is open and with what (e.g. a record to open), without a router dependency. */
export interface Nav {
  page: string
  params: Record<string, string>
  go: (page: string, params?: Record<string, string>) => void
}

export const NavContext = createContext<Nav>({ page: 'home', params: {}, go: () => undefined })
export const useNav = () => useContext(NavContext)

export const TownshipContext = createContext<Township | null>(null)
export const useTownship = () => useContext(TownshipContext)!
