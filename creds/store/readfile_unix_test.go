//go:build unix

package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// unblockFIFO ends any read waiting on the FIFO at path when the test
// ends, so a regression fails the test instead of hanging it.
func unblockFIFO(t *testing.T, path string) {
	t.Cleanup(func() {
		if f, err := os.OpenFile(path, os.O_RDWR|unix.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
}

func TestReadRegularFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("hello"), 0o600)
	link := filepath.Join(dir, "link")
	os.Symlink(small, link)
	big := filepath.Join(dir, "big")
	os.WriteFile(big, bytes.Repeat([]byte("x"), 1025), 0o600)
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	unblockFIFO(t, fifo)
	for path, want := range map[string]error{small: nil, link: nil, big: ErrFileTooLarge, fifo: ErrNotRegularFile,
		dir: ErrNotRegularFile, "/dev/zero": ErrNotRegularFile} {
		data, err := ReadRegularFile(path, 1024)
		if !errors.Is(err, want) || (want == nil && string(data) != "hello") {
			t.Errorf("ReadRegularFile(%s) = %q, %v; want %v", path, data, err, want)
		}
	}
}
