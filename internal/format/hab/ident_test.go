package hab

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

func TestParseIdent(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxPartLength)
	for _, tc := range []struct {
		in   string
		want Ident
		ok   bool
		full bool
	}{
		{in: "core/redis", want: Ident{"core", "redis", "", ""}, ok: true},
		{in: "core/redis/7.0.0", want: Ident{"core", "redis", "7.0.0", ""}, ok: true},
		{in: "core/redis/7.0.0/20230101000000", want: Ident{"core", "redis", "7.0.0", "20230101000000"}, ok: true, full: true},
		{in: "my-origin_1/Foo_Bar-2/v1.2.3-master/20171205003213", want: Ident{"my-origin_1", "Foo_Bar-2", "v1.2.3-master", "20171205003213"}, ok: true, full: true},
		{in: "0rigin/n/1+build.5~rc/20171205003213", want: Ident{"0rigin", "n", "1+build.5~rc", "20171205003213"}, ok: true, full: true},
		{in: long + "/" + long + "/" + long, want: Ident{long, long, long, ""}, ok: true},
		{in: "core/redis/versión", want: Ident{"core", "redis", "versión", ""}, ok: true},
		// Part counts.
		{in: ""}, {in: "core"}, {in: "core/"}, {in: "/redis"},
		{in: "core/redis/1/20171205003213/x"},
		{in: "core/redis/"}, {in: "core/redis//20171205003213"},
		{in: "core/redis/1/"},
		// Origins.
		{in: "Core/redis"}, {in: "-core/redis"}, {in: "_core/redis"}, {in: "co.re/redis"},
		{in: "core!/redis"}, {in: long + "a/redis"},
		// Names.
		{in: "core/re.dis"}, {in: "core/re dis"}, {in: "core/rédis"}, {in: "core/" + long + "a"},
		// Versions.
		{in: "core/redis/1 2"}, {in: "core/redis/1\t2"}, {in: "core/redis/1\x002"},
		{in: "core/redis/1\x7f"}, {in: "core/redis/\xff"}, {in: "core/redis/" + long + "1"},
		// Releases.
		{in: "core/redis/1/2017120500321"}, {in: "core/redis/1/201712050032130"},
		{in: "core/redis/1/2017120500321a"}, {in: "core/redis/1/latest"},
	} {
		got, err := ParseIdent(tc.in)
		if !tc.ok {
			if err == nil || !errs.Is(err, errs.Invalid) {
				t.Errorf("ParseIdent(%q) = %+v, %v; want an invalid error", tc.in, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseIdent(%q) error %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseIdent(%q) (-want +got):\n%s", tc.in, diff)
		}
		if got.String() != tc.in {
			t.Errorf("ParseIdent(%q).String() = %q", tc.in, got.String())
		}
		if got.FullyQualified() != tc.full {
			t.Errorf("ParseIdent(%q).FullyQualified() = %v", tc.in, !tc.full)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("ParseIdent(%q).Validate() = %v", tc.in, err)
		}
		_, err = ParseFullIdent(tc.in)
		if (err == nil) != tc.full || err != nil && !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseFullIdent(%q) error %v, fully qualified %v", tc.in, err, tc.full)
		}
	}
}

func TestIdentValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id Ident
		ok bool
	}{
		{Ident{"core", "redis", "", ""}, true},
		{Ident{"core", "redis", "1.0", "20200101000000"}, true},
		{Ident{"core", "redis", "", "20200101000000"}, false},
		{Ident{"core", "", "1.0", ""}, false},
		{Ident{"", "redis", "", ""}, false},
		{Ident{"core", "redis", "1/0", ""}, false},
		{Ident{"core", "redis", "1.0", "x"}, false},
	} {
		if err := tc.id.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v.Validate() = %v, want ok %v", tc.id, err, tc.ok)
		}
	}
}

func TestArchiveName(t *testing.T) {
	t.Parallel()
	id := Ident{"neurosis", "testapp", "0.1.3", "20171205003213"}
	if got, want := id.ArchiveName("x86_64-linux"), "neurosis-testapp-0.1.3-20171205003213-x86_64-linux.hart"; got != want {
		t.Errorf("ArchiveName = %q, want %q", got, want)
	}
}

func TestTargets(t *testing.T) {
	t.Parallel()
	want := []string{"x86_64-linux", "x86_64-linux-kernel2", "x86_64-windows", "x86_64-darwin", "aarch64-linux", "aarch64-darwin", "aarch64-windows"}
	got := KnownTargets()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("KnownTargets (-want +got):\n%s", diff)
	}
	got[0] = "changed"
	if KnownTargets()[0] != "x86_64-linux" {
		t.Error("KnownTargets shares its slice with callers")
	}
	for _, tg := range want {
		if err := ValidTarget(tg); err != nil {
			t.Errorf("ValidTarget(%q) = %v", tg, err)
		}
	}
	for _, tg := range []string{"", "x86_64-Linux", "x86_64-linux ", "i386-linux", "x86_64", "linux"} {
		err := ValidTarget(tg)
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("ValidTarget(%q) = %v, want invalid", tg, err)
			continue
		}
		if want := "Invalid package target '" + tg + "'"; errs.Message(err) != want {
			t.Errorf("ValidTarget(%q) message %q, want %q", tg, errs.Message(err), want)
		}
	}
	if DefaultTarget != "x86_64-linux" {
		t.Errorf("DefaultTarget = %q", DefaultTarget)
	}
}
