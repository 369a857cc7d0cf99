package metatest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// writeAll creates a namespace, repository, blob, link, version and tag
// through q, named after name.
func writeAll(f *fixture, q meta.Queries, name string) error {
	n := meta.Namespace{Name: name, Kind: meta.KindOrg}
	if err := q.CreateNamespace(f.ctx, &n); err != nil {
		return err
	}
	r := meta.Repository{NamespaceID: n.ID, Type: "oci", Name: name + "/app"}
	if err := q.CreateRepo(f.ctx, &r); err != nil {
		return err
	}
	shared := meta.Blob{Digest: digestOf("shared"), Size: 6}
	own := meta.Blob{Digest: digestOf("manifest of " + name), Size: 42}
	for _, b := range []meta.Blob{shared, own} {
		if err := q.PutBlob(f.ctx, b); err != nil {
			return err
		}
	}
	if err := q.LinkBlob(f.ctx, r.ID, shared.Digest); err != nil {
		return err
	}
	v := meta.Version{RepoID: r.ID, Version: own.Digest, BlobDigest: own.Digest, Size: own.Size}
	if err := q.CreateVersion(f.ctx, &v, []meta.Ref{{Kind: meta.RefBlob, Digest: shared.Digest}}); err != nil {
		return err
	}
	return q.PutTag(f.ctx, r.ID, "latest", v.ID)
}

func txTests() []test {
	return []test{
		{"Ping", func(t *testing.T, f *fixture) {
			f.ok(f.s.Ping(f.ctx))
		}},
		{"Commit", func(t *testing.T, f *fixture) {
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error { return writeAll(f, q, "acme") }))
			r, err := f.s.GetRepo(f.ctx, "oci", "acme/app")
			f.ok(err)
			tag, err := f.s.GetTag(f.ctx, r.ID, "latest")
			f.ok(err)
			if tag.Digest != digestOf("manifest of acme") {
				t.Errorf("tag points at %s", tag.Digest)
			}
			_, err = f.s.GetRepoBlob(f.ctx, r.ID, digestOf("shared"))
			f.ok(err)
		}},
		{"Rollback", func(t *testing.T, f *fixture) {
			err := f.s.Tx(f.ctx, func(q meta.Queries) error {
				if err := writeAll(f, q, "acme"); err != nil {
					return err
				}
				if _, err := q.GetRepo(f.ctx, "oci", "acme/app"); err != nil {
					return fmt.Errorf("transaction does not see its own write: %w", err)
				}
				return errBoom
			})
			if err != errBoom {
				t.Fatalf("Tx returned %v, want the function's error unchanged", err)
			}
			_, err = f.s.GetNamespace(f.ctx, "acme")
			wantKind(t, "GetNamespace after rollback", err, errs.NotFound)
			_, err = f.s.GetRepo(f.ctx, "oci", "acme/app")
			wantKind(t, "GetRepo after rollback", err, errs.NotFound)
			for _, d := range []string{digestOf("shared"), digestOf("manifest of acme")} {
				_, err = f.s.GetBlob(f.ctx, d)
				wantKind(t, "GetBlob after rollback", err, errs.NotFound)
			}
		}},
		{"RollbackTeams", func(t *testing.T, f *fixture) {
			u := f.user("bob")
			acme := f.org("acme", false)
			kept := f.team(acme.ID, "kept", meta.TeamMember)
			err := f.s.Tx(f.ctx, func(q meta.Queries) error {
				team := meta.Team{NamespaceID: acme.ID, Name: "doomed", Role: meta.TeamAdmin}
				if err := q.CreateTeam(f.ctx, &team); err != nil {
					return err
				}
				for _, id := range []int64{team.ID, kept.ID} {
					if err := q.AddTeamMember(f.ctx, id, u.ID); err != nil {
						return err
					}
				}
				if got, err := q.GetTeam(f.ctx, acme.ID, "doomed"); err != nil || got.MemberCount != 1 {
					return fmt.Errorf("transaction does not see its own team: %+v, %v", got, err)
				}
				return errBoom
			})
			if err != errBoom {
				t.Fatalf("Tx returned %v, want the function's error unchanged", err)
			}
			_, err = f.s.GetTeam(f.ctx, acme.ID, "doomed")
			wantKind(t, "GetTeam after rollback", err, errs.NotFound)
			teams, err := f.s.ListUserTeams(f.ctx, u.ID, 0)
			f.ok(err)
			if len(teams) != 0 {
				t.Errorf("ListUserTeams after rollback = %+v, want none", teams)
			}
			members, err := f.s.ListTeamMembers(f.ctx, kept.ID)
			f.ok(err)
			if len(members) != 0 {
				t.Errorf("membership outlived the rollback: %+v", members)
			}
		}},
		{"ContinuesAfterOrgRefusals", refusalsKeepTransaction},
		{"ContinuesAfterError", func(t *testing.T, f *fixture) {
			f.namespace("taken")
			u := f.user("user")
			f.user("other")
			r := f.repo("oci", "app")
			f.ok(f.s.CreateUpload(f.ctx, &meta.Upload{ID: "u", RepoID: r.ID}))
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				wantKind(t, "CreateNamespace(taken)", q.CreateNamespace(f.ctx, &meta.Namespace{Name: "TAKEN", Kind: meta.KindUser}), errs.Exists)
				wantKind(t, "CreateUser(missing namespace)", q.CreateUser(f.ctx, &meta.User{Name: "x", NamespaceID: r.NamespaceID + 1000}), errs.NotFound)
				wantKind(t, "CreateRepo(taken)", q.CreateRepo(f.ctx, &meta.Repository{NamespaceID: r.NamespaceID, Type: "oci", Name: "APP"}), errs.Exists)
				missing := meta.Version{RepoID: r.ID, Version: "1", BlobDigest: digestOf("missing")}
				wantKind(t, "CreateVersion(missing blob)", q.CreateVersion(f.ctx, &missing, nil), errs.NotFound)
				wantKind(t, "PutTag(missing version)", q.PutTag(f.ctx, r.ID, "t", 1<<40), errs.NotFound)
				wantKind(t, "UpdateUpload(stale)", q.UpdateUpload(f.ctx, "u", 7, 9, nil), errs.Conflict)
				wantKind(t, "LinkBlob(unrecorded)", q.LinkBlob(f.ctx, r.ID, digestOf("missing")), errs.NotFound)
				u.Name = "OTHER"
				wantKind(t, "UpdateUser(taken name)", q.UpdateUser(f.ctx, u), errs.Exists)
				wantKind(t, "CreateUpload(taken id)", q.CreateUpload(f.ctx, &meta.Upload{ID: "u", RepoID: r.ID}), errs.Exists)
				return writeAll(f, q, "fresh")
			}))
			if _, err := f.s.GetRepo(f.ctx, "oci", "fresh/app"); err != nil {
				t.Errorf("write after errors in the transaction: %v", err)
			}
			vs, err := f.s.ListVersions(f.ctx, r.ID)
			f.ok(err)
			if len(vs) != 0 {
				t.Errorf("failed CreateVersion left %v", vs)
			}
		}},
		{"Concurrent", func(t *testing.T, f *fixture) {
			const n = 20
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					err := f.s.Tx(f.ctx, func(q meta.Queries) error { return writeAll(f, q, fmt.Sprintf("org%02d", i)) })
					if err != nil {
						t.Errorf("Tx %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			rs, err := f.s.ListRepos(f.ctx, "oci", meta.Page{})
			f.ok(err)
			if len(rs) != n {
				t.Fatalf("%d repositories after %d transactions", len(rs), n)
			}
			for _, r := range rs {
				if _, err := f.s.GetTag(f.ctx, r.ID, "latest"); err != nil {
					t.Errorf("repository %s: %v", r.Name, err)
				}
			}
		}},
		{"ConcurrentCreate", func(t *testing.T, f *fixture) {
			ns := f.owner()
			var created, exists atomic.Int32
			ids := make([]int64, 10)
			var wg sync.WaitGroup
			for i := range ids {
				wg.Go(func() {
					var made bool // set by the attempt that commits, if fn runs again
					err := f.s.Tx(f.ctx, func(q meta.Queries) error {
						r := meta.Repository{NamespaceID: ns.ID, Type: "oci", Name: "same"}
						err := q.CreateRepo(f.ctx, &r)
						made = err == nil
						if errs.Is(err, errs.Exists) {
							r, err = q.GetRepo(f.ctx, "oci", "same")
						}
						ids[i] = r.ID
						return err
					})
					switch {
					case err != nil:
						t.Errorf("create or get: %v", err)
					case made:
						created.Add(1)
					default:
						exists.Add(1)
					}
				})
			}
			wg.Wait()
			if created.Load() != 1 {
				t.Errorf("%d transactions created the repository (%d found it), want 1", created.Load(), exists.Load())
			}
			for _, id := range ids {
				if id != ids[0] {
					t.Errorf("ids %v differ", ids)
					break
				}
			}
		}},
	}
}
