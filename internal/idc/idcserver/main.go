// Command idcserver runs the Identity Center emulator on its own, for
// `make demo` and manual poking:
//
//	IDC_GRANTS="123412341234:AssumeRolePolicy:AKID:SECRET" \
//	    go run ./internal/idc/idcserver -listen 127.0.0.1:0 -auto-approve
//
// It prints its base URL as the first line on stdout and serves until it is
// interrupted or terminated.
//
// Grants are ACCOUNT:ROLE:ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN],
// several separated by white space. Prefer the IDC_GRANTS environment
// variable: secrets in -grant flags show up in the process list, which is
// tolerable only for throwaway test keys such as moto's.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/hop-cli/hop/internal/idc"
)

type grantList []string

func (g *grantList) String() string     { return fmt.Sprint(len(*g), " grants") }
func (g *grantList) Set(v string) error { *g = append(*g, v); return nil }

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "loopback `address` to serve on")
	autoApprove := flag.Bool("auto-approve", false, "approve device codes as soon as they are issued")
	tokenTTL := flag.Duration("access-token-ttl", idc.DefaultAccessTokenTTL, "lifetime of issued access tokens")
	var grants grantList
	flag.Var(&grants, "grant", "a grant `ACCOUNT:ROLE:AKID:SECRET[:TOKEN]` (repeatable; prefer IDC_GRANTS)")
	flag.Parse()

	if err := run(*listen, *autoApprove, *tokenTTL, append(strings.Fields(os.Getenv("IDC_GRANTS")), grants...)); err != nil {
		fmt.Fprintf(os.Stderr, "idcserver: %v\n", err)
		os.Exit(1)
	}
}

func run(listen string, autoApprove bool, tokenTTL time.Duration, grants []string) error {
	s := idc.New(idc.Options{AutoApprove: autoApprove, AccessTokenTTL: tokenTTL})
	if err := addGrants(s, grants); err != nil {
		return err
	}
	if err := s.Listen(listen); err != nil {
		return err
	}
	defer s.Close()
	fmt.Println(s.URL())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}

// addGrants parses ACCOUNT:ROLE:AKID:SECRET[:TOKEN] grants into s.
func addGrants(s *idc.Server, grants []string) error {
	for i, g := range grants {
		parts := strings.Split(g, ":")
		if len(parts) != 4 && len(parts) != 5 || slices.Contains(parts, "") {
			// A grant holds a secret: name its position, never its text.
			return fmt.Errorf("grant %d is not ACCOUNT:ROLE:AKID:SECRET[:TOKEN]", i+1)
		}
		creds := idc.Credentials{AccessKeyID: parts[2], SecretAccessKey: parts[3]}
		if len(parts) == 5 {
			creds.SessionToken = parts[4]
		}
		s.Grant(parts[0], parts[1], creds)
	}
	return nil
}
