package metatest

import (
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func ownerVersionTests() []test {
	return []test{
		{"Creator", func(t *testing.T, f *fixture) {
			u := f.user("carol")
			r := f.repo("generic", "owner/pkg")
			v := meta.Version{RepoID: r.ID, Version: "1.0", CreatorID: u.ID}
			f.ok(f.s.CreateVersion(f.ctx, &v, nil))
			got, err := f.s.GetVersionByID(f.ctx, v.ID)
			f.ok(err)
			wantEqual(t, "GetVersionByID", got, v)
			if got.CreatorID != u.ID {
				t.Errorf("CreatorID = %d, want %d", got.CreatorID, u.ID)
			}
			none := f.version(r.ID, "2.0")
			got, err = f.s.GetVersion(f.ctx, r.ID, "2.0")
			f.ok(err)
			if got.CreatorID != 0 || none.CreatorID != 0 {
				t.Errorf("CreatorID without creator = %d, want 0", got.CreatorID)
			}
			bad := meta.Version{RepoID: r.ID, Version: "3.0", CreatorID: u.ID + 1000}
			wantKind(t, "CreateVersion(missing creator)", f.s.CreateVersion(f.ctx, &bad, nil), errs.NotFound)
		}},
		{"List", func(t *testing.T, f *fixture) {
			u := f.user("carol")
			pub := meta.Repository{NamespaceID: f.owner().ID, Type: "generic", Name: "owner/Alpha-Lib", Public: true}
			f.ok(f.s.CreateRepo(f.ctx, &pub))
			priv := f.repo("generic", "owner/beta")
			oci := f.repo("oci", "owner/alpha")
			other := meta.Repository{NamespaceID: u.NamespaceID, Type: "generic", Name: "carol/alpha", Public: true}
			f.ok(f.s.CreateRepo(f.ctx, &other))

			var want []meta.OwnerVersion // oldest first
			add := func(r meta.Repository, ver string, creator *meta.User) {
				t.Helper()
				v := meta.Version{RepoID: r.ID, Version: ver}
				if creator != nil {
					v.CreatorID = creator.ID
				}
				f.ok(f.s.CreateVersion(f.ctx, &v, nil))
				ov := meta.OwnerVersion{Version: v, Repo: r}
				if creator != nil {
					ov.Creator = meta.User{ID: creator.ID, Name: creator.Name, Email: creator.Email, Created: creator.Created}
				}
				if r.NamespaceID == f.owner().ID && r.Type == "generic" {
					want = append(want, ov)
				}
				tick()
			}
			add(pub, "1.0", &u)
			add(priv, "1.0", nil)
			add(oci, "1.0", &u)
			add(other, "1.0", &u)
			add(pub, "2.0", nil)
			add(priv, "2.0", &u)
			newest := func(ovs ...meta.OwnerVersion) []meta.OwnerVersion {
				out := make([]meta.OwnerVersion, len(ovs))
				for i, ov := range ovs {
					out[len(ovs)-1-i] = ov
				}
				return out
			}
			all := newest(want...)
			cases := []struct {
				name  string
				f     meta.VersionFilter
				want  []meta.OwnerVersion
				total int
			}{
				{"all", meta.VersionFilter{Type: "generic"}, all, 4},
				{"first page", meta.VersionFilter{Type: "generic", Limit: 3}, all[:3], 4},
				{"second page", meta.VersionFilter{Type: "generic", Offset: 3, Limit: 3}, all[3:], 4},
				{"past the end", meta.VersionFilter{Type: "generic", Offset: 10, Limit: 3}, nil, 4},
				{"name", meta.VersionFilter{Type: "generic", NameContains: "PHA-l"}, newest(want[0], want[2]), 2},
				{"name not in namespace part", meta.VersionFilter{Type: "generic", NameContains: "owner"}, nil, 0},
				{"public only", meta.VersionFilter{Type: "generic", PublicOnly: true}, newest(want[0], want[2]), 2},
				{"other type", meta.VersionFilter{Type: "oci"}, nil, 1},
				{"unknown type", meta.VersionFilter{Type: "npm"}, nil, 0},
			}
			for _, c := range cases {
				got, total, err := f.s.ListOwnerVersions(f.ctx, f.owner().ID, c.f)
				f.ok(err)
				if c.name == "other type" {
					if len(got) != 1 || got[0].Repo.ID != oci.ID {
						t.Errorf("%s: got %v, want the oci version", c.name, got)
					}
				} else {
					wantEqual(t, "ListOwnerVersions "+c.name, got, c.want)
				}
				if total != c.total {
					t.Errorf("%s: total = %d, want %d", c.name, total, c.total)
				}
			}
			_, _, err := f.s.ListOwnerVersions(f.ctx, f.owner().ID, meta.VersionFilter{})
			wantKind(t, "ListOwnerVersions(no type)", err, errs.Invalid)
		}},
		{"SameTime", func(t *testing.T, f *fixture) {
			r := f.repo("generic", "owner/pkg")
			var ids []int64
			for _, v := range []string{"1", "2", "3"} {
				ids = append(ids, f.version(r.ID, v).ID)
			}
			got, _, err := f.s.ListOwnerVersions(f.ctx, f.owner().ID, meta.VersionFilter{Type: "generic"})
			f.ok(err)
			for i := 1; i < len(got); i++ {
				a, b := got[i-1], got[i]
				if a.Created.Before(b.Created) || (a.Created.Equal(b.Created) && a.ID < b.ID) {
					t.Errorf("versions out of order: %d (%v) before %d (%v)", a.ID, a.Created, b.ID, b.Created)
				}
			}
			if len(got) != len(ids) {
				t.Errorf("got %d versions, want %d", len(got), len(ids))
			}
		}},
	}
}
