package creds

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
)

// awkward are strings each of jsonString's cases meets.
var awkward = []string{
	"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "\b\f\n\r\t\x00\x1f\x7f",
	"caf\u00e9 \u2028 \u2029 \u202e \U0001f600", "bad \xff\xfe utf-8 \xe2\x80", "\xed\xa0\x80 surrogate",
	"arn:aws:iam::123456789012:role/Deploy", "https://example.awsapps.com/start#/",
}

// fill sets every exported field v holds, recursively, from rng: a field
// added to any type of the key's document is set here without a change.
func fill(rng *rand.Rand, v reflect.Value, seen map[string]bool, path string) {
	switch v.Kind() {
	case reflect.String:
		if rng.IntN(3) > 0 {
			v.SetString(awkward[rng.IntN(len(awkward))])
		}
	case reflect.Int64:
		v.SetInt(rng.Int64N(1<<40) - 1<<39)
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 1)
	case reflect.Pointer:
		if rng.IntN(3) > 0 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(rng, v.Elem(), seen, path)
		}
	case reflect.Slice:
		switch n := rng.IntN(4); n {
		case 0: // nil
		default:
			v.Set(reflect.MakeSlice(v.Type(), n-1, n-1))
			for i := range n - 1 {
				fill(rng, v.Index(i), seen, path+"[]")
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			fill(rng, v.Field(i), seen, path+"."+f.Name)
			if !v.Field(i).IsZero() {
				seen[path+"."+f.Name] = true
			}
		}
	default:
		panic("keydoc_test: fill cannot set a " + v.Kind().String() + " at " + path)
	}
}

// fields lists the exported fields of t, recursively, as fill names them.
func fields(t reflect.Type, path string, out map[string]bool) {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		fields(t.Elem(), path+map[bool]string{true: "[]"}[t.Kind() == reflect.Slice], out)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				out[path+"."+f.Name] = true
				fields(f.Type, path+"."+f.Name, out)
			}
		}
	}
}

// TestKeyDocIsJSON holds keyDoc to the bytes json.Marshal writes for the
// same document, so session keys are what they were when json.Marshal
// made them, over documents with every field set, unset and awkward.
func TestKeyDocIsJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for range 5000 {
		var doc keyDoc
		fill(rng, reflect.ValueOf(&doc).Elem(), seen, "")
		want, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.append(nil); !bytes.Equal(got, want) {
			t.Fatalf("keyDoc wrote\n%s\njson.Marshal wrote\n%s", got, want)
		}
	}
	all := map[string]bool{}
	fields(reflect.TypeFor[keyDoc](), "", all)
	for f := range all {
		if !seen[f] {
			t.Errorf("no document set %s: fill does not reach it", f)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := jsonString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("jsonString(%q) = %s, json.Marshal = %s", s, got, want)
		}
	})
}
