/** The record-table registry, derived from the register definitions (src/shared/registers). */
export { recordTableLabels, recordTables, villageHolders } from '../../shared/registers'
