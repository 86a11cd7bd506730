package fetch

import (
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/creds"
)

func TestDefaultBackendsSkipDBusWithoutABus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the D-Bus stores exist on Linux only")
	}
	none := func(string) string { return "" }
	got := defaultBackends(none)
	if slices.Contains(got, keyring.SecretServiceBackend) || slices.Contains(got, keyring.KWalletBackend) {
		t.Errorf("without DBUS_SESSION_BUS_ADDRESS the order %v tries D-Bus", got)
	}
	if got[0] != keyring.KeyCtlBackend {
		t.Errorf("first backend %s, want keyctl", got[0])
	}
	bus := func(k string) string {
		if k == "DBUS_SESSION_BUS_ADDRESS" {
			return "unix:path=/run/user/1000/bus"
		}
		return ""
	}
	if got := defaultBackends(bus); got[0] != keyring.SecretServiceBackend {
		t.Errorf("with a session bus the order is %v, want secret-service first", got)
	}
}

func TestOpenKeyringRejectsUnknownBackend(t *testing.T) {
	_, err := OpenKeyring(KeyringOptions{Backend: "vault", Getenv: func(string) string { return "" }})
	if err == nil || !strings.Contains(err.Error(), `"vault" is not available`) || !strings.Contains(err.Error(), "file") {
		t.Errorf("err = %v, want one naming the backend and the choices", err)
	}
}

func TestFileKeyringRoundTrip(t *testing.T) {
	dir := t.TempDir()
	kr, err := OpenKeyring(KeyringOptions{Backend: "file", FileDir: dir,
		Passphrase: func(string) (string, error) { return "pw", nil }, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	if err := kr.Set(keyring.Item{Key: creds.KeyPrefix + "p:1", Data: []byte("secret-data")}); err != nil {
		t.Fatal(err)
	}
	item, err := kr.Get(creds.KeyPrefix + "p:1")
	if err != nil || string(item.Data) != "secret-data" {
		t.Fatalf("Get = %q, %v", item.Data, err)
	}
}
