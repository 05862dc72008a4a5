; Included by electron-builder's NSIS installer (electron-builder.yml, nsis.include).
; Always install for the current user only: no administrator rights are asked for (a township PC's clerk
; often has none), and the "only for me / for all users" page is skipped.
!macro customInstallMode
  StrCpy $isForceCurrentInstall "1"
!macroend
