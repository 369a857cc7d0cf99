package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: "256MiB", want: 256 << 20},
		{in: "1GiB", want: 1 << 30},
		{in: "16 MiB", want: 16 << 20},
		{in: "512KiB", want: 512 << 10},
		{in: "100MB", want: 100e6},
		{in: "4096", want: 4096},
		{in: "10B", want: 10},
		{in: "", wantErr: true},
		{in: "0MiB", wantErr: true},
		{in: "-1", wantErr: true},
		{in: "1.5GiB", wantErr: true},
		{in: "1TiB", wantErr: true},
		{in: "99999999999GiB", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[int64]string{
		1 << 30: "1GiB", 256 << 20: "256MiB", 1536 << 20: "1536MiB", 1024: "1KiB", 1000: "1000B",
	} {
		if got := formatSize(in); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestParseLists(t *testing.T) {
	t.Parallel()
	sizes, err := parseSizes("256MiB, 1GiB")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{256 << 20, 1 << 30}, sizes); diff != "" {
		t.Errorf("parseSizes (-want +got):\n%s", diff)
	}
	conc, err := parseInts("16,32")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{16, 32}, conc); diff != "" {
		t.Errorf("parseInts (-want +got):\n%s", diff)
	}
	skip, err := parseSkip("pull,images")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{"pull": true, "images": true}, skip); diff != "" {
		t.Errorf("parseSkip (-want +got):\n%s", diff)
	}
	for _, bad := range []func() error{
		func() error { _, err := parseSizes(""); return err },
		func() error { _, err := parseInts("16,x"); return err },
		func() error { _, err := parseInts("0"); return err },
		func() error { _, err := parseSkip("push,bogus"); return err },
		func() error { _, err := parseRegistry("ftp://x"); return err },
		func() error { _, err := parseRegistry("http://"); return err },
		func() error { _, err := parseRegistry("http://h:1/?q=1"); return err },
	} {
		if bad() == nil {
			t.Error("invalid input accepted")
		}
	}
	u, err := parseRegistry("http://127.0.0.1:5000/")
	if err != nil || u.String() != "http://127.0.0.1:5000" {
		t.Errorf("parseRegistry = %v, %v", u, err)
	}
}
