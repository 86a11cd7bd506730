#!/usr/bin/env bash
# make test-windows: hop's portable packages' unit tests built for
# windows/amd64 and run under Wine, then hop.exe's smoke test against moto
# on loopback (internal/winsmoke). PowerShell itself is not run: Debian has
# none.
set -euo pipefail
cd "$(dirname "$0")/../.."
runners=$(scripts/windows/wine.sh)

# Wine 8 has no FileDispositionInformationEx and answers
# STATUS_NOT_IMPLEMENTED, which Go's os.RemoveAll does not take as "use the
# older way" (Windows itself never answers so): every t.TempDir would fail
# its cleanup. The tests build with that one status added to Go's fallback,
# through an overlay; hop's own builds are untouched.
overlay=$(mktemp -d)
trap 'rm -rf "$overlay"' EXIT
at=$(go env GOROOT)/src/internal/syscall/windows/at_windows.go
sed 's|^\tcase STATUS_INVALID_INFO_CLASS, |\tcase NTStatus(0xC0000002), STATUS_INVALID_INFO_CLASS, |' "$at" >"$overlay/at_windows.go"
if cmp -s "$at" "$overlay/at_windows.go"; then
	echo "test-windows: $at changed; update the overlay in $0" >&2
	exit 1
fi
printf '{"Replace":{"%s":"%s"}}\n' "$at" "$overlay/at_windows.go" >"$overlay/overlay.json"

# The packages whose tests are about hop rather than a Unix tool or the
# Unix world (shells, tmux, /proc, signals, file modes, symlinks); exec's
# run on a pseudo-terminal, as its Ctrl-C test needs a console.
PORTABLE=(./cli ./export ./inspect ./picker ./server ./shellinit ./shellwords ./untrusted ./internal/faultproxy ./internal/idc)
export GOOS=windows GOARCH=amd64 CGO_ENABLED=0
go test -overlay "$overlay/overlay.json" -exec "$runners/run" -count=1 -timeout 10m "${PORTABLE[@]}"
go test -overlay "$overlay/overlay.json" -exec "$runners/run-console" -count=1 -timeout 10m ./exec
# creds/fetch holds keyring and file-mode tests of Unix; of it, the shell
# mfa_process runs through.
go test -overlay "$overlay/overlay.json" -exec "$runners/run" -count=1 -timeout 10m -run '^TestShellCommand' ./creds/fetch
unset GOOS GOARCH CGO_ENABLED

HOP_WINE_RUN=$runners/run go test -tags windows_smoke -count=1 -timeout 10m ./internal/winsmoke
