package inspect

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/internal/bench"
)

// BenchmarkList measures `hop list` in process, nothing cached: load the
// files, resolve every profile, print the table. make bench times the whole
// process; this isolates hop's own work for pprof. Output goes to a
// real file, /dev/null, so every write costs its system call.
func BenchmarkList(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			configPath, credentialsPath, err := bench.WriteConfig(b.TempDir(), n)
			if err != nil {
				b.Fatal(err)
			}
			home := b.TempDir()
			getenv := func(name string) string {
				if name == "HOME" {
					return home
				}
				return ""
			}
			out, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			if err != nil {
				b.Fatal(err)
			}
			defer out.Close()
			b.ReportAllocs()
			for b.Loop() {
				cfg, err := config.Load(configPath, credentialsPath)
				if err != nil {
					b.Fatal(err)
				}
				cache := Cache{Index: store.IndexFor(getenv), Tokens: creds.TokenCacheFor(getenv), Getenv: getenv, Now: time.Now()}
				rows := Rows(cfg, cache)
				if len(rows) != n {
					b.Fatalf("%d rows, want %d", len(rows), n)
				}
				if err := WriteTable(out, rows, cache); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
