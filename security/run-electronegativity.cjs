/*
 * Runs @doyensec/electronegativity over a folder, offline, and prints its findings as JSON on stdout.
 * The tool fetches translations from the internet at start; that request is replaced here by an
 * immediate failure (it then uses its bundled English texts), so the test suite never touches the
 * network. The Electron version is taken from package.json, so version-dependent defaults are judged
 * for the Electron the app ships with.
 * Usage: node security/run-electronegativity.cjs <folder> <out.json>
 */
'use strict'
const Module = require('node:module')
const path = require('node:path')

const load = Module._load
Module._load = function (request, parent, isMain) {
  if (request === 'got') return () => Promise.reject(new Error('offline'))
  return load.call(this, request, parent, isMain)
}

const fs = require('node:fs')
const input = path.resolve(process.argv[2] || 'src')
const out = process.argv[3]
const pkg = require(path.resolve(__dirname, '..', 'package.json'))
const electronVersion = String((pkg.devDependencies || {}).electron || '').replace(/^[^\d]*/, '')
const quiet = console.log
console.log = () => undefined // the tool prints a notice when the translations are not fetched
const run = require('@doyensec/electronegativity').default || require('@doyensec/electronegativity')

run({ input, isRelative: true, parserPlugins: [], electronVersionOverride: electronVersion || undefined }, false)
  .then((r) => {
    const issues = r.issues.map((i) => ({
      id: i.id,
      file: i.file,
      line: i.location && i.location.line,
      column: i.location && i.location.column,
      severity: i.severity && i.severity.name,
      confidence: i.confidence && i.confidence.name,
      manualReview: !!i.manualReview,
      description: i.description,
    }))
    const errors = r.errors.filter((e) => !e.tolerable).map((e) => ({ file: path.relative(input, e.file), message: e.message }))
    const json = JSON.stringify({ electronVersion, checks: r.globalChecks + r.atomicChecks, issues, errors }, null, 2) + '\n'
    console.log = quiet
    if (out) fs.writeFileSync(out, json)
    else process.stdout.write(json)
  })
  .catch((e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n')
    process.exit(1)
  })
