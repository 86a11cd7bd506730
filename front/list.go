package front

import (
	"fmt"
	"os"

	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/inspect"
	"github.com/hop-cli/hop/untrusted"
)

// serveList prints `hop list` as hop-core would, when everything it shows
// can be read without the keyring library: the session index, and stored
// keys in the kernel keyring or the file store, the stores Peek reads.
// hop-core's start (the SDK's package initialisation above all) costs
// 40 ms here, a sixth of list's time at 10,000 profiles. It returns, for
// hop-core to do the work and report what is wrong, when the store is
// another or the config cannot be read.
func serveList(l Line, getenv func(string) string) {
	if kind := store.Order(getenv("HOP_BACKEND"), getenv)[0]; kind != "keyctl" && kind != "file" {
		return
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return
	}
	cache := inspect.CacheFor(getenv)
	rows := inspect.Rows(cfg, cache)
	if cfg.Err() != nil {
		// The files changed, since they were indexed, into ones the full
		// parse refuses.
		return
	}
	if l.JSON {
		err = inspect.WriteJSON(os.Stdout, rows)
	} else {
		err = inspect.WriteTable(os.Stdout, rows, cache)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "hop: %s\n", untrusted.Lines(err.Error()))
		os.Exit(1)
	}
	os.Exit(0)
}
