package hab

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
)

func TestReadArchiveHeader(t *testing.T) {
	t.Parallel()
	_, sec := signingPair(t, "o")
	payload := rawPayload(t, metaEntries(pkgDir))
	good := signed(t, sec, payload)
	hdr := string(good[:bytes.Index(good, []byte("\n\n"))+2])
	lines := strings.Split(hdr, "\n")
	sig := lines[3]
	with := func(i int, s string) string {
		l := append([]string(nil), lines...)
		l[i] = s
		return strings.Join(l, "\n")
	}
	// Readers trim white space, CRLF included.
	for name, h := range map[string]string{
		"crlf":      strings.ReplaceAll(hdr, "\n", "\r\n"),
		"padded":    "  HART-1 \n o-20171205003213\t\nBLAKE2b\n" + sig + "  \n \n",
		"short sig": with(3, base64.StdEncoding.EncodeToString([]byte("short"))),
	} {
		if _, err := ReadArchive(strings.NewReader(h + string(payload))); err != nil {
			t.Errorf("%s: ReadArchive = %v", name, err)
		}
	}
	for name, in := range map[string]string{
		"empty":          "",
		"version only":   "HART-1\n",
		"no blank line":  strings.TrimSuffix(hdr, "\n"),
		"version":        with(0, "HART-2"),
		"lowercase":      with(0, "hart-1"),
		"key name":       with(1, "o"),
		"key revision":   with(1, "o-2017120500321"),
		"hash":           with(2, "SHA256"),
		"hash case":      with(2, "blake2b"),
		"base64":         with(3, "not*base64"),
		"unpadded":       with(3, strings.TrimRight(sig, "=")),
		"line 5":         with(4, "x"),
		"long line":      with(1, strings.Repeat("o", 5000)+"-20171205003213"),
		"payload in hdr": "HART-1\no-20171205003213\nBLAKE2b\n" + sig + "\n",
	} {
		data := in
		if name != "empty" && name != "version only" && name != "no blank line" && name != "payload in hdr" {
			data += string(payload)
		}
		_, err := ReadArchive(strings.NewReader(data))
		if StageOf(err) != StageArchive || !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: ReadArchive = %v (stage %d), want a ds:up:0 error", name, err, StageOf(err))
		}
	}
}

func TestReadArchivePayload(t *testing.T) {
	t.Parallel()
	_, sec := signingPair(t, "o")
	good := rawPayload(t, metaEntries(pkgDir))
	var tarOnly bytes.Buffer
	tarOnly.Write(compress(t, []byte("this is not a tar file, just some text that is long enough")))
	for name, payload := range map[string][]byte{
		"empty":         nil,
		"not xz":        []byte("plain text payload"),
		"xz not tar":    tarOnly.Bytes(),
		"truncated":     good[:len(good)-10],
		"trailing data": append(bytes.Clone(good), 'x'),
		"two streams":   append(bytes.Clone(good), good...),
		"bad check":     flip(good, len(good)-13),
	} {
		_, err := ReadArchive(bytes.NewReader(signed(t, sec, payload)))
		if StageOf(err) != StageArchive || !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: ReadArchive = %v (stage %d), want a ds:up:0 error", name, err, StageOf(err))
		}
	}
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 0xff
	return b
}

func TestReadArchiveMetadata(t *testing.T) {
	t.Parallel()
	_, sec := signingPair(t, "o")
	base := Metadata{Ident: Ident{"o", "n", "1.0", "20200101000000"}, Target: "x86_64-linux", Manifest: "# o/n", PackageType: Standard}
	deps := func(s ...string) []Ident {
		var out []Ident
		for _, x := range s {
			id, _ := ParseFullIdent(x)
			out = append(out, id)
		}
		return out
	}
	type tc struct {
		entries []entry
		want    func(*Metadata) // nil when an error is expected
		stage   Stage
	}
	plus := func(extra ...entry) []entry { return append(metaEntries(pkgDir), extra...) }
	without := func(file string, extra ...entry) []entry {
		var out []entry
		for _, e := range metaEntries(pkgDir) {
			if !strings.HasSuffix(e.name, "/"+file) {
				out = append(out, e)
			}
		}
		return append(out, extra...)
	}
	for name, c := range map[string]tc{
		"minimal":        {entries: metaEntries(pkgDir), want: func(*Metadata) {}},
		"leading slash":  {entries: metaEntries("/" + pkgDir), want: func(*Metadata) {}},
		"opt prefix":     {entries: metaEntries("opt/" + pkgDir), want: func(*Metadata) {}},
		"other files":    {entries: plus(entry{name: pkgDir + "bin/IDENT", body: "x"}, entry{name: "hab/pkgs/o/n/1.0/IDENT", body: "x"}, entry{name: pkgDir, typ: '5'}), want: func(*Metadata) {}},
		"native":         {entries: plus(entry{name: pkgDir + "PACKAGE_TYPE", body: "native\n"}), want: func(m *Metadata) { m.PackageType = Native }},
		"standard":       {entries: plus(entry{name: pkgDir + "PACKAGE_TYPE", body: " standard "}), want: func(*Metadata) {}},
		"config trimmed": {entries: plus(entry{name: pkgDir + "default.toml", body: "\n\na = 1\n\n"}), want: func(m *Metadata) { m.Config = "a = 1" }},
		"exposes":        {entries: plus(entry{name: pkgDir + "EXPOSES", body: "80 443\n65535\t0\n"}), want: func(m *Metadata) { m.Exposes = []uint16{80, 443, 65535, 0} }},
		"svc user only":  {entries: plus(entry{name: pkgDir + "SVC_USER", body: ""}), want: func(m *Metadata) { m.HasSvcUser = true }},
		"deps": {entries: plus(entry{name: pkgDir + "DEPS", body: "core/a/1/20200101000000\n\n  core/b/2/20200101000001  \n"}, entry{name: pkgDir + "BUILD_TDEPS", body: "core/c/3/20200101000002"}),
			want: func(m *Metadata) {
				m.Deps = deps("core/a/1/20200101000000", "core/b/2/20200101000001")
				m.BuildTDeps = deps("core/c/3/20200101000002")
			}},
		"no target":          {entries: without("TARGET"), stage: StageTarget},
		"unknown target":     {entries: without("TARGET", entry{name: pkgDir + "TARGET", body: "x86_64-plan9"}), stage: StageTarget},
		"empty target":       {entries: without("TARGET", entry{name: pkgDir + "TARGET", body: "\n"}), stage: StageTarget},
		"nothing":            {entries: []entry{{name: "README", body: "hi"}}, stage: StageTarget},
		"symlink target":     {entries: without("TARGET", entry{name: pkgDir + "TARGET", body: "/etc/passwd", typ: '2'}), stage: StageTarget},
		"bad package type":   {entries: plus(entry{name: pkgDir + "PACKAGE_TYPE", body: "Standard"}), stage: StageArchive},
		"no ident":           {entries: without("IDENT"), stage: StageArchive},
		"partial ident":      {entries: without("IDENT", entry{name: pkgDir + "IDENT", body: "o/n/1.0"}), stage: StageArchive},
		"no manifest":        {entries: without("MANIFEST"), stage: StageArchive},
		"partial dep":        {entries: plus(entry{name: pkgDir + "TDEPS", body: "core/a/1/20200101000000\ncore/b"}), stage: StageArchive},
		"bad dep":            {entries: plus(entry{name: pkgDir + "BUILD_DEPS", body: "not an ident"}), stage: StageArchive},
		"port too big":       {entries: plus(entry{name: pkgDir + "EXPOSES", body: "80 65536"}), stage: StageArchive},
		"port not a number":  {entries: plus(entry{name: pkgDir + "EXPOSES", body: "http"}), stage: StageArchive},
		"negative port":      {entries: plus(entry{name: pkgDir + "EXPOSES", body: "-1"}), stage: StageArchive},
		"duplicate":          {entries: plus(entry{name: "/" + pkgDir + "MANIFEST", body: "again"}), stage: StageArchive},
		"two packages":       {entries: plus(entry{name: "hab/pkgs/o/m/1.0/20200101000000/DEPS", body: ""}), stage: StageArchive},
		"not utf-8":          {entries: plus(entry{name: pkgDir + "default.toml", body: "a = \"\xff\""}), stage: StageArchive},
		"nul byte":           {entries: without("MANIFEST", entry{name: pkgDir + "MANIFEST", body: "a\x00b"}), stage: StageArchive},
		"metadata too large": {entries: without("MANIFEST", entry{name: pkgDir + "MANIFEST", body: strings.Repeat("m", MaxMetadataSize+1)}), stage: StageArchive},
	} {
		a, err := ReadArchive(bytes.NewReader(signed(t, sec, rawPayload(t, c.entries))))
		if c.want == nil {
			if StageOf(err) != c.stage || !errs.Is(err, errs.Invalid) {
				t.Errorf("%s: ReadArchive = %v (stage %d), want stage %d", name, err, StageOf(err), c.stage)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: ReadArchive: %v", name, err)
			continue
		}
		want := base
		c.want(&want)
		if diff := cmp.Diff(want, a.Metadata); diff != "" {
			t.Errorf("%s: metadata (-want +got):\n%s", name, diff)
		}
	}
}

func TestReadArchiveLargeMetadataFile(t *testing.T) {
	t.Parallel()
	_, sec := signingPair(t, "o")
	manifest := strings.Repeat("m", MaxMetadataSize)
	entries := append(metaEntries(pkgDir)[:2], entry{name: pkgDir + "MANIFEST", body: manifest}, entry{name: pkgDir + "big", body: strings.Repeat("b", 3*MaxMetadataSize)})
	a, err := ReadArchive(bytes.NewReader(signed(t, sec, rawPayload(t, entries))))
	if err != nil {
		t.Fatal(err)
	}
	if a.Manifest != manifest {
		t.Errorf("manifest of %d bytes read as %d", len(manifest), len(a.Manifest))
	}
}
