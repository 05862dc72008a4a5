/** The live database's file name in the data folder (backups, restore, recovery and the app all need it). */
export const DB_FILE = 'pingan.db'
