// Types of scripts/native-lib.cjs, for the TypeScript tests that exercise it.
export interface BinaryInfo {
  format: 'elf' | 'pe' | 'macho' | 'unknown'
  machine: number | null
  arch: string | null
  bits?: number
}
export interface NativeTarget {
  platform: string
  arch: string
  abi?: number
}
export const MAX_GLIBC: string
export const MAX_GLIBCXX: string
export function binaryInfo(buf: Buffer): BinaryInfo
export function compareVersions(a: string, b: string): number
export function runtimeNeeds(buf: Buffer): { glibc: string | null; glibcxx: string | null }
export function moduleAbis(buf: Buffer): number[]
export function nativeProblems(buf: Buffer, target: NativeTarget, allow?: { newRuntime?: boolean; otherAbi?: boolean }): string[]
export function stampName(v: { electron: string; betterSqlite3: string; platform: string; arch: string }): string
export function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string>
export function archName(arch: number | string): string
export function failureReason(output: string): string
export function packageNativeDir(root: string, platform: string, arch: string): string
export function flag(name: string, env?: NodeJS.ProcessEnv): boolean
export function testLayout(context: { packager?: { config?: { npmRebuild?: boolean } } }, env?: NodeJS.ProcessEnv): boolean
