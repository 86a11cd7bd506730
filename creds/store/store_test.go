package store

import (
	"runtime"
	"slices"
	"testing"
)

func TestStoreOrderSkipsDBusWithoutABus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the D-Bus stores exist on Linux only")
	}
	none := func(string) string { return "" }
	got := Order("", none)
	if slices.Contains(got, "secret-service") || slices.Contains(got, "kwallet") {
		t.Errorf("without DBUS_SESSION_BUS_ADDRESS the order %v tries D-Bus", got)
	}
	if got[0] != "keyctl" {
		t.Errorf("first backend %s, want keyctl", got[0])
	}
	bus := func(k string) string {
		if k == "DBUS_SESSION_BUS_ADDRESS" {
			return "unix:path=/run/user/1000/bus"
		}
		return ""
	}
	if got := Order("", bus); got[0] != "secret-service" {
		t.Errorf("with a session bus the order is %v, want secret-service first", got)
	}
}
