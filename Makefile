GO      ?= go
PREFIX  ?= $(HOME)/.local
# bin/hop is the front users run (cmd/hop); it hands most commands to
# hop-core, the whole CLI (the module root), installed beside it as make
# install lays them out.
BIN     := bin/hop
CORE    := libexec/hop/hop-core
# The tag, when there is one; without, hop reads what it can from the build
# info (package version). The commit and its date are always named, so the
# front and hop-core of one build say the same.
VERSION ?= $(shell git describe --tags --dirty 2>/dev/null)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE    ?= $(shell git log -1 --format=%cI 2>/dev/null)
MODULE  := github.com/hop-cli/hop
LDFLAGS := -s -w -X $(MODULE)/version.version=$(VERSION) -X $(MODULE)/version.commit=$(COMMIT) -X $(MODULE)/version.date=$(DATE)
# On Linux hop is linked statically, with Go's own user and DNS lookups: no
# dynamic loader or libc to map at each start, and no NSS call for the user
# the keyring library looks up in its init (see docs/performance.md).
TAGS    ?= $(if $(filter Linux,$(shell uname -s)),osusergo netgo)

.PHONY: build install docs release-snapshot test unit test-windows bench demo fuzz vet clean

build:
	$(GO) build -trimpath -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o $(CORE) .
	$(GO) build -trimpath -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/hop

install: build docs
	install -d $(PREFIX)/bin $(PREFIX)/libexec/hop
	install -m 0755 $(CORE) $(PREFIX)/libexec/hop/hop-core
	install -m 0755 $(BIN) $(PREFIX)/bin/hop
	cd build/share && find . -type f -exec install -D -m 0644 {} $(PREFIX)/share/{} \;

# make docs: the man page (from hop-core's command model) and the
# completion scripts, under build/share as a PREFIX/share holds them.
docs:
	rm -rf build/share
	$(GO) run ./internal/cmd/hop-docs -version '$(or $(VERSION),dev)' -date '$(DATE)' build/share

# make release-snapshot: everything a release publishes (archives,
# checksums, .deb, .rpm, the Homebrew cask, the Scoop manifest) in dist/,
# uploading nothing. Off macOS, darwin is built without cgo and so without
# the Keychain backend: its archives are named _no-keychain.
GORELEASER ?= $(GO) run github.com/goreleaser/goreleaser/v2@v2.17.0
release-snapshot:
	$(GORELEASER) release --snapshot --clean
	cd dist && sha256sum -c checksums.txt

# The whole-binary and real-world tests build only with the e2e tag: vet
# both ways, so neither side breaks unseen; and for Windows and macOS, where
# every package and its tests must build too.
vet:
	$(GO) vet ./...
	$(GO) vet -tags e2e ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) vet -tags e2e ./...
	GOOS=darwin GOARCH=arm64 $(GO) vet ./...
	GOOS=darwin GOARCH=arm64 $(GO) vet -tags e2e ./...
	$(GO) vet -tags windows_smoke ./internal/winsmoke
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo 'gofmt: files above need formatting'; exit 1; }

# The packages that share memory among goroutines (list's rows, the
# credential server, the keyring's readers) run again under the race
# detector, which needs cgo and so a C compiler.
RACE    := ./creds/... ./inspect ./server

# make test runs everything: the unit tests and, with the e2e tag, the
# tests that need the world (hop built, moto_server, the Identity Center
# emulator, real shells under tmux; see e2e/).
test: vet
	$(GO) test -tags e2e -count=1 -timeout 20m ./...
	CGO_ENABLED=1 $(GO) test -tags e2e -race -count=1 -timeout 10m $(RACE)

# make unit: the unit tests alone, in seconds, with no servers, shells or
# network.
unit:
	$(GO) test -count=1 -timeout 5m ./...

# make test-windows: the portable packages' tests built for Windows and run
# under Wine, and hop.exe's smoke test against moto on loopback. It needs
# wine, wine64 and gcc-mingw-w64-x86-64 (Debian's names); the Wine prefix is
# made once, under ~/.cache/hop/wine (HOP_WINE_DIR).
test-windows:
	bash scripts/windows/test.sh

# make bench: one table of hop's costs, each timed in turns against a
# baseline (BENCHTIME per row sets the sample count); see docs/performance.md.
# make bench also builds the commit BASE names (git archive, in a temporary
# directory) and pairs its warm exec with this tree's: the regression guard.
# 8feafde is the last build whose small-config warm exec the issue measured
# as fast; BASE= leaves the row out.
BENCHTIME ?= 3s
BASE      ?= 8feafde
BASEDIR   := $(or $(TMPDIR),/tmp)/hop-bench-base-$(BASE)
bench: build
	$(if $(BASE),rm -rf $(BASEDIR) && mkdir -p $(BASEDIR) && git archive $(BASE) | tar -x -C $(BASEDIR) && $(MAKE) -C $(BASEDIR) build VERSION=$(BASE) COMMIT=$(BASE))
	HOP_BIN=$(abspath $(BIN)) $(if $(BASE),HOP_BASE_BIN=$(BASEDIR)/bin/hop HOP_BASE_NAME=$(BASE)) $(GO) test -tags e2e -count=1 -run '^$$' -bench . -benchtime $(BENCHTIME) -timeout 30m ./internal/bench

demo: build
	bash scripts/demo.sh

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzResolve -fuzztime=30s ./creds
	$(GO) test -run='^$$' -fuzz=FuzzSplice -fuzztime=30s ./profilegen

clean:
	rm -rf bin libexec build dist
