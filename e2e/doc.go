// Package e2e holds hop's whole-binary tests, behind the e2e build tag
// (`go test -tags e2e ./e2e`, or `make test`): TestMain builds hop as `make
// install` lays it out and starts moto_server, and each test runs the
// binary against the real servers, shells and terminals, as a user would.
// The files are named by the behaviour they hold hop to. They build on Unix
// only: they drive real shells under tmux, send signals, and switch users.
// Windows has its own smoke test (make test-windows).
package e2e
