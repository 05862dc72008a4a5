'use strict'
/* global module */
// electron-builder beforeBuild hook: returning false tells electron-builder that native modules are
// handled outside it. Its own rebuild would rebuild better-sqlite3 for Electron INSIDE node_modules and
// break the tests, the CLI and browser mode, which need Node's build; before-pack builds the Electron
// one per target into .electron-native/ instead. npmRebuild stays true in the config so that
// `-c.npmRebuild=false` keeps its plain meaning: do not build native modules (see native-lib.cjs testLayout).
module.exports = async function beforeBuild() {
  return false
}
