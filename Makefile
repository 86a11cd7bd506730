GO      ?= go
PREFIX  ?= $(HOME)/.local
# bin/hop is the front users run (cmd/hop); it hands most commands to
# hop-core, the whole CLI (the module root), installed beside it as make
# install lays them out.
BIN     := bin/hop
CORE    := libexec/hop/hop-core
# The tag, when there is one; without, hop reads what it can from the build
# info. The commit is always named.
VERSION ?= $(shell git describe --tags --dirty 2>/dev/null)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
MODULE  := github.com/hop-cli/hop
LDFLAGS := -s -w -X $(MODULE)/cli.version=$(VERSION) -X $(MODULE)/cli.commit=$(COMMIT)
# On Linux hop is linked statically, with Go's own user and DNS lookups: no
# dynamic loader or libc to map at each start, and no NSS call for the user
# the keyring library looks up in its init (see README, Performance).
TAGS    ?= $(if $(filter Linux,$(shell uname -s)),osusergo netgo)

.PHONY: build install test unit test-windows bench demo fuzz vet clean

build:
	$(GO) build -trimpath -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o $(CORE) .
	$(GO) build -trimpath -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/hop

install: build
	install -d $(PREFIX)/bin $(PREFIX)/libexec/hop
	install -m 0755 $(CORE) $(PREFIX)/libexec/hop/hop-core
	install -m 0755 $(BIN) $(PREFIX)/bin/hop

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
# baseline (BENCHTIME per row sets the sample count); see README, Performance.
BENCHTIME ?= 3s
bench: build
	HOP_BIN=$(abspath $(BIN)) $(GO) test -tags e2e -count=1 -run '^$$' -bench . -benchtime $(BENCHTIME) -timeout 30m ./internal/bench

demo: build
	bash scripts/demo.sh

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzResolve -fuzztime=30s ./creds
	$(GO) test -run='^$$' -fuzz=FuzzSplice -fuzztime=30s ./profilegen

clean:
	rm -rf bin libexec
