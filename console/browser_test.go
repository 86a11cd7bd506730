package console

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestEndpoints: each partition's region gets its console and federation
// endpoint; an override replaces the endpoint only.
func TestEndpoints(t *testing.T) {
	for _, c := range []struct{ region, override, federation, console string }{
		{"", "", "https://signin.aws.amazon.com/federation", "console.aws.amazon.com"},
		{"eu-west-1", "", "https://signin.aws.amazon.com/federation", "console.aws.amazon.com"},
		{"cn-north-1", "", "https://signin.amazonaws.cn/federation", "console.amazonaws.cn"},
		{"us-gov-west-1", "", "https://signin.amazonaws-us-gov.com/federation", "console.amazonaws-us-gov.com"},
		{"eusc-de-east-1", "", "https://signin.eusc-de-east-1.amazonaws.eu/federation", "console.amazonaws.eu"},
		{"cn-north-1", "http://127.0.0.1:9/", "http://127.0.0.1:9/federation", "console.amazonaws.cn"},
	} {
		f, con := endpoints(c.region, c.override)
		if f != c.federation || con != c.console {
			t.Errorf("region %q: %s and %s, want %s and %s", c.region, f, con, c.federation, c.console)
		}
	}
}

// TestDestination: a service, a path with its query and fragment, the
// region added unless the path names one; anything that could leave the
// console is refused.
func TestDestination(t *testing.T) {
	for _, c := range []struct{ dest, region, want string }{
		{"", "", "https://console.aws.amazon.com/console/home"},
		{"", "eu-west-1", "https://console.aws.amazon.com/console/home?region=eu-west-1"},
		{"s3", "eu-west-1", "https://console.aws.amazon.com/s3/home?region=eu-west-1"},
		{"/s3/buckets", "eu-west-1", "https://console.aws.amazon.com/s3/buckets?region=eu-west-1"},
		{"/ec2/home?region=us-east-1#Instances", "eu-west-1", "https://console.aws.amazon.com/ec2/home?region=us-east-1#Instances"},
	} {
		got, err := destination("console.aws.amazon.com", c.dest, c.region)
		if err != nil || got != c.want {
			t.Errorf("destination %q in %q: %s (%v), want %s", c.dest, c.region, got, err, c.want)
		}
	}
	for _, bad := range []string{"//evil.example/x", "https://evil.example/", "s3/../x?", "a b", "s3\x1b[2J", "evil.example:443"} {
		if got, err := destination("console.aws.amazon.com", bad, ""); err == nil {
			t.Errorf("destination %q accepted as %s", bad, got)
		} else if !strings.Contains(err.Error(), "s3") {
			t.Errorf("destination %q: the error does not say what to give: %v", bad, err)
		}
	}
}

// TestContainerURL: the container's name and the page's URL are each one
// encoded parameter, whatever they hold.
func TestContainerURL(t *testing.T) {
	target := "https://signin.example/federation?Action=login&SigninToken=T&Destination=x"
	link := ContainerURL("prod&url=https://evil", target)
	rest, ok := strings.CutPrefix(link, "ext+container:")
	if !ok {
		t.Fatalf("link %s", link)
	}
	q, err := url.ParseQuery(rest)
	if err != nil || q.Get("name") != "prod&url=https://evil" || q.Get("url") != target || len(q["url"]) != 1 {
		t.Errorf("link %s parses to %v (%v)", link, q, err)
	}
}

// TestDataDir: each profile has its own directory under hop's state, one
// path element whatever the name.
func TestDataDir(t *testing.T) {
	getenv := func(name string) string {
		if name == "XDG_STATE_HOME" {
			return "/state"
		}
		return ""
	}
	seen := map[string]string{}
	for _, p := range []string{"prod", "dev", "..", ".", "a/b", "a%2Fb", "Prod", ".hidden"} {
		dir := DataDir(getenv, p)
		if filepath.Dir(dir) != "/state/hop/browser" || strings.HasPrefix(filepath.Base(dir), ".") {
			t.Errorf("profile %q: %s, want one visible element in /state/hop/browser", p, dir)
		}
		if other, ok := seen[dir]; ok {
			t.Errorf("profiles %q and %q share %s", p, other, dir)
		}
		seen[dir] = p
	}
}
