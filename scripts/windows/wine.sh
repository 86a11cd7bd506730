#!/usr/bin/env bash
# Sets up a Wine prefix that can run Go programs built for windows/amd64,
# and prints the directory of its runners (see the end) for `go test -exec`. The prefix lives
# under HOP_WINE_DIR (default: the user's cache), made once and reused.
#
# Debian 12's Wine 8 has no ProcessPrng, which Go 1.24 and later need to
# start: the prefix gets a bcryptprimitives.dll built here from
# processprng.c, with the MinGW compiler.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${HOP_WINE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hop/wine}
prefix=$dir/prefix
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
for tool in "$wine" x86_64-w64-mingw32-gcc; do
	command -v "$tool" >/dev/null || { echo "wine.sh: $tool not found: apt-get install wine wine64 gcc-mingw-w64-x86-64" >&2; exit 1; }
done
mkdir -p "$dir"
chmod 0700 "$dir"
if [[ ! -f $prefix/system.reg ]]; then
	WINEPREFIX=$prefix WINEDEBUG=-all "$wine" wineboot -u >/dev/null 2>&1
	# wineboot returns before the prefix's server is done writing it.
	WINEPREFIX=$prefix wineserver -w
fi
dll=$prefix/drive_c/windows/system32/bcryptprimitives.dll
if [[ ! -f $dll || $here/processprng.c -nt $dll ]]; then
	x86_64-w64-mingw32-gcc -shared -O2 -o "$dll.new" "$here/processprng.c" "$here/processprng.def" -ladvapi32
	mv "$dll.new" "$dll"
fi
# run runs a Windows program with Wine's stdio as given; run-console runs it
# on a pseudo-terminal, which gives it a console: Ctrl-C and Ctrl-Break
# exist only there.
cat >"$dir/run.new" <<RUN
#!/bin/sh
WINEPREFIX='$prefix' WINEDEBUG=-all exec '$wine' "\$@"
RUN
cat >"$dir/run-console.new" <<'RUN'
#!/usr/bin/env bash
exec script -qec "$(printf '%q ' "$(dirname "$0")/run" "$@")" /dev/null
RUN
for f in run run-console; do
	chmod 0755 "$dir/$f.new"
	mv "$dir/$f.new" "$dir/$f"
done
echo "$dir"
