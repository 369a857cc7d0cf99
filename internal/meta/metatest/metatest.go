// Package metatest is the conformance suite every meta.Store passes.
//
// An implementation's test calls Run with a function that returns a fresh,
// empty store and arranges, with t.Cleanup, for it to be closed and removed:
//
//	func TestStore(t *testing.T) {
//		metatest.Run(t, func(t *testing.T) meta.Store { return open(t) })
//	}
//
// Subtests run in parallel, each on its own store.
package metatest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// test is one conformance check on a fresh store.
type test struct {
	name string
	run  func(t *testing.T, f *fixture)
}

// Run runs the conformance suite. newStore is called once per subtest and
// must return an empty store whose cleanup it registers on t.
func Run(t *testing.T, newStore func(t *testing.T) meta.Store) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"Namespaces", namespaceTests()},
		{"Users", userTests()},
		{"Tokens", tokenTests()},
		{"Repositories", repoTests()},
		{"Versions", versionTests()},
		{"OwnerVersions", ownerVersionTests()},
		{"Files", fileTests()},
		{"Tags", tagTests()},
		{"Blobs", blobTests()},
		{"GC", gcTests()},
		{"Collect", collectTests()},
		{"Uploads", uploadTests()},
		{"Organisations", orgTests()},
		{"Robots", robotTests()},
		{"DeleteUser", deleteUserTests()},
		{"TokenKinds", tokenKindTests()},
		{"RepoSettings", repoSettingTests()},
		{"Teams", teamTests()},
		{"Invites", inviteTests()},
		{"Permissions", permissionTests()},
		{"Visibility", visibilityTests()},
		{"Prototypes", prototypeTests()},
		{"Stars", starTests()},
		{"Apps", appTests()},
		{"GrantCodes", grantCodeTests()},
		{"Logs", logTests()},
		{"Members", memberTests()},
		{"Races", raceTests()},
		{"Generated", generatedTests()},
		{"Releases", releaseTests()},
		{"Channels", channelTests()},
		{"DepotEvents", depotEventTests()},
		{"Origins", originTests()},
		{"OriginKeys", originKeyTests()},
		{"OriginSecrets", originSecretTests()},
		{"Integrations", integrationTests()},
		{"OriginInvitations", originInvitationTests()},
		{"OriginCascades", originCascadeTests()},
		{"OrgScene", orgSceneTests()},
		{"Tx", txTests()},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.run(t, &fixture{t: t, ctx: t.Context(), s: newStore(t)})
				})
			}
		})
	}
}

// fixture is a store with helpers that create rows or fail the test.
type fixture struct {
	t   *testing.T
	ctx context.Context
	s   meta.Store
	ns  *meta.Namespace // the default owner, made on first use
}

// ok fails the test now when err is not nil.
func (f *fixture) ok(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("unexpected error: %v", err)
	}
}

// owner returns the default namespace, creating it once.
func (f *fixture) owner() meta.Namespace {
	f.t.Helper()
	if f.ns == nil {
		n := f.namespace("owner")
		f.ns = &n
	}
	return *f.ns
}

func (f *fixture) namespace(name string) meta.Namespace {
	f.t.Helper()
	n := meta.Namespace{Name: name, Kind: meta.KindUser}
	f.ok(f.s.CreateNamespace(f.ctx, &n))
	return n
}

// user creates a user with a namespace of its own.
func (f *fixture) user(name string) meta.User {
	f.t.Helper()
	n := f.namespace(name)
	u := meta.User{Name: name, Email: name + "@example.com", PasswordHash: "hash-" + name, NamespaceID: n.ID}
	f.ok(f.s.CreateUser(f.ctx, &u))
	return u
}

// repo creates a repository of the default owner.
func (f *fixture) repo(typ, name string) meta.Repository {
	f.t.Helper()
	r := meta.Repository{NamespaceID: f.owner().ID, Type: typ, Name: name}
	f.ok(f.s.CreateRepo(f.ctx, &r))
	return r
}

// blob records a blob whose content is content.
func (f *fixture) blob(content string) meta.Blob {
	f.t.Helper()
	b := meta.Blob{Digest: digestOf(content), Size: int64(len(content))}
	f.ok(f.s.PutBlob(f.ctx, b))
	got, err := f.s.GetBlob(f.ctx, b.Digest)
	f.ok(err)
	return got
}

// version creates a version of repo with the version string v.
func (f *fixture) version(repoID int64, v string, refs ...meta.Ref) meta.Version {
	f.t.Helper()
	ver := meta.Version{RepoID: repoID, Version: v, MediaType: "application/octet-stream"}
	f.ok(f.s.CreateVersion(f.ctx, &ver, refs))
	return ver
}

// manifest creates an OCI-like version whose own content is a recorded
// blob and whose Version is that blob's digest.
func (f *fixture) manifest(repoID int64, content string, refs ...meta.Ref) meta.Version {
	f.t.Helper()
	b := f.blob(content)
	v := meta.Version{RepoID: repoID, Version: b.Digest, MediaType: "application/vnd.oci.image.manifest.v1+json",
		BlobDigest: b.Digest, Size: b.Size}
	f.ok(f.s.CreateVersion(f.ctx, &v, refs))
	return v
}

// file creates a file of a version over a new blob.
func (f *fixture) file(versionID int64, name string) meta.File {
	f.t.Helper()
	b := f.blob("file " + name)
	file := meta.File{VersionID: versionID, Name: name, Digest: b.Digest, Size: b.Size}
	f.ok(f.s.CreateFile(f.ctx, &file))
	return file
}

// digestOf returns the sha256 digest string of content.
func digestOf(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// wantKind fails the test unless err is of kind k.
func wantKind(t *testing.T, what string, err error, k errs.Kind) {
	t.Helper()
	if !errs.Is(err, k) {
		t.Errorf("%s: error %v (kind %v), want kind %v", what, err, errs.KindOf(err), k)
	}
}

// wantEqual fails the test when got and want differ, compared with opts.
func wantEqual(t *testing.T, what string, got, want any, opts ...cmp.Option) {
	t.Helper()
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
	}
}

// wantStamp fails the test unless ts is a UTC time no earlier than
// before and not in the future.
func wantStamp(t *testing.T, what string, ts, before time.Time) {
	t.Helper()
	if ts.Location() != time.UTC {
		t.Errorf("%s = %v, want UTC", what, ts)
	}
	if ts.Before(before.Add(-time.Millisecond)) || ts.After(time.Now().Add(time.Millisecond)) {
		t.Errorf("%s = %v, want between %v and now", what, ts, before)
	}
}

// tick waits until the clock has moved on by more than the stores' time
// resolution, so times taken before and after differ.
func tick() { time.Sleep(2 * time.Millisecond) }

// errBoom is an error a transaction function returns to roll back.
var errBoom = errors.New("boom")
