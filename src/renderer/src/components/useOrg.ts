import { useCallback, useEffect, useState } from 'react'
import type { Grid, Unit, Village } from '../../../shared/org/schema'
import { invoke } from '../api'

/** The township's villages, grids and units, for pickers and names in tables. */
export function useOrg() {
  const [villages, setVillages] = useState<Village[]>([])
  const [grids, setGrids] = useState<Grid[]>([])
  const [units, setUnits] = useState<Unit[]>([])
  const reload = useCallback(() => {
    void invoke('villages.list', { limit: 10_000 }).then((r) => setVillages(r.rows))
    void invoke('grids.list', { limit: 10_000 }).then((r) => setGrids(r.rows))
    void invoke('units.list', { limit: 10_000 }).then((r) => setUnits(r.rows))
  }, [])
  useEffect(reload, [reload])
  return { villages, grids, units, reload }
}
