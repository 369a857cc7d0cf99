package artifact_test

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// hexSums returns the hex MD5, SHA-1 and SHA-512 digests of b.
func hexSums(b []byte) (string, string, string) {
	m, s1, s5 := md5.Sum(b), sha1.Sum(b), sha512.Sum512(b)
	return hex.EncodeToString(m[:]), hex.EncodeToString(s1[:]), hex.EncodeToString(s5[:])
}

// createUser creates the user owning the namespace userNS.
func (e *env) createUser(t testing.TB) meta.User {
	t.Helper()
	ns, err := e.meta.GetNamespace(t.Context(), userNS)
	if err != nil {
		t.Fatal(err)
	}
	u := meta.User{Name: userNS, Email: userNS + "@example.com", PasswordHash: "secret-hash", NamespaceID: ns.ID}
	if err := e.meta.CreateUser(t.Context(), &u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPutFileSums(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	for i, size := range []int{0, 1, 4 << 10, 3<<20 + 7} {
		data := randBytes(size, uint64(i))
		name := "f" + string(rune('a'+i))
		e.putFile(t, "alice/sums", "1", name, data)
		v, f, err := e.svc.StatFile(t.Context(), artifact.FileRef{Type: "generic", RepoName: "alice/sums", Version: "1", FileName: name})
		if err != nil {
			t.Fatal(err)
		}
		var got [3]string
		got[0], got[1], got[2] = f.MD5, f.SHA1, f.SHA512
		var want [3]string
		want[0], want[1], want[2] = hexSums(data)
		if got != want {
			t.Errorf("size %d: stored sums %q, want %q", size, got, want)
		}
		if v.CreatorID != 0 {
			t.Errorf("version without creator has CreatorID %d", v.CreatorID)
		}
	}
	// The empty file's digests are the well-known ones.
	_, f, err := e.svc.StatFile(t.Context(), artifact.FileRef{Type: "generic", RepoName: "alice/sums", Version: "1", FileName: "fa"})
	if err != nil {
		t.Fatal(err)
	}
	if f.MD5 != "d41d8cd98f00b204e9800998ecf8427e" || f.SHA1 != "da39a3ee5e6b4b0d3255bfef95601890afd80709" {
		t.Errorf("empty file sums md5 %s sha1 %s", f.MD5, f.SHA1)
	}
}

func TestOwnerVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	u := e.createUser(t)
	put := func(repo, version, name string, creator int64) {
		t.Helper()
		_, err := e.svc.PutFile(ctx, artifact.PutFileRequest{Type: "generic", RepoName: repo, Version: version,
			FileName: name, Body: bytes.NewReader([]byte(name)), Creator: creator})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("alice/tool", "1.0", "a.bin", u.ID)
	put("alice/tool", "1.0", "b.bin", 0) // a later file does not change the creator
	put("alice/Lib", "2.0", "c.bin", 0)
	put("acme/tool", "1.0", "d.bin", u.ID)

	ns, err := e.svc.Namespace(ctx, userNS)
	if err != nil {
		t.Fatal(err)
	}
	got, total, err := e.svc.OwnerVersions(ctx, ns.ID, meta.VersionFilter{Type: "generic"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ov := range got {
		names = append(names, ov.Repo.Name+"@"+ov.Version.Version)
	}
	if diff := cmp.Diff([]string{"alice/Lib@2.0", "alice/tool@1.0"}, names); diff != "" || total != 2 {
		t.Errorf("OwnerVersions total %d (-want +got):\n%s", total, diff)
	}
	creator := meta.User{ID: u.ID, Name: u.Name, Email: u.Email, Created: u.Created}
	if diff := cmp.Diff(creator, got[1].Creator); diff != "" {
		t.Errorf("creator (-want +got):\n%s", diff)
	}
	if got[0].Creator.ID != 0 {
		t.Errorf("version without creator lists creator %+v", got[0].Creator)
	}

	one, err := e.svc.OwnerVersion(ctx, "generic", "alice/TOOL", "1.0")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got[1], one); diff != "" {
		t.Errorf("OwnerVersion differs from its listing (-list +one):\n%s", diff)
	}
	_, err = e.svc.OwnerVersion(ctx, "generic", "alice/tool", "9")
	wantKind(t, "OwnerVersion(missing version)", err, errs.NotFound)
	_, err = e.svc.OwnerVersion(ctx, "npm", "alice/tool", "1.0")
	wantKind(t, "OwnerVersion(other type)", err, errs.NotFound)

	files, err := e.svc.VersionFiles(ctx, one.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != "a.bin" || files[1].Name != "b.bin" {
		t.Errorf("VersionFiles = %+v, want a.bin and b.bin", files)
	}

	owner, err := e.svc.NamespaceUser(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(creator, owner); diff != "" {
		t.Errorf("NamespaceUser (-want +got):\n%s", diff)
	}
	org, err := e.svc.Namespace(ctx, orgNS)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.NamespaceUser(ctx, org)
	wantKind(t, "NamespaceUser(org)", err, errs.NotFound)
}
