package metatest

import (
	"slices"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func memberTests() []test {
	return []test{
		{"PutGetList", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			bob, alice := f.person("bob", true), f.person("Alice", true)
			m := meta.Member{NamespaceID: acme.ID, UserID: bob.ID, Role: meta.MemberMaintainer}
			f.ok(f.s.PutMember(f.ctx, &m))
			if m.Created.IsZero() {
				t.Error("PutMember left Created zero")
			}
			first := m.Created
			f.ok(f.s.PutMember(f.ctx, &meta.Member{NamespaceID: acme.ID, UserID: alice.ID, Role: meta.MemberReadOnly}))
			// Changing the role keeps the membership's time.
			m.Role = meta.MemberAdministrator
			f.ok(f.s.PutMember(f.ctx, &m))
			if !m.Created.Equal(first) {
				t.Errorf("role change moved Created from %v to %v", first, m.Created)
			}
			got, err := f.s.GetMember(f.ctx, acme.ID, bob.ID)
			f.ok(err)
			if got.Role != meta.MemberAdministrator || got.UserName != "bob" || !got.Created.Equal(first) {
				t.Errorf("GetMember = %+v", got)
			}
			list, err := f.s.ListMembers(f.ctx, acme.ID)
			f.ok(err)
			var names []string
			for _, m := range list {
				names = append(names, m.UserName)
			}
			if !slices.Equal(names, []string{"Alice", "bob"}) {
				t.Errorf("ListMembers names = %v, want lower-cased name order", names)
			}
			mine, err := f.s.ListUserMembers(f.ctx, bob.ID)
			f.ok(err)
			if len(mine) != 1 || mine[0].NamespaceID != acme.ID {
				t.Errorf("ListUserMembers = %+v", mine)
			}
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			bob := f.person("bob", true)
			wantKind(t, "unknown role", f.s.PutMember(f.ctx, &meta.Member{NamespaceID: acme.ID, UserID: bob.ID, Role: "boss"}), errs.Invalid)
			wantKind(t, "missing user", f.s.PutMember(f.ctx, &meta.Member{NamespaceID: acme.ID, UserID: 999999, Role: meta.MemberMember}), errs.NotFound)
			wantKind(t, "missing namespace", f.s.PutMember(f.ctx, &meta.Member{NamespaceID: 999999, UserID: bob.ID, Role: meta.MemberMember}), errs.NotFound)
			_, err := f.s.GetMember(f.ctx, acme.ID, bob.ID)
			wantKind(t, "GetMember of a non-member", err, errs.NotFound)
			wantKind(t, "DeleteMember of a non-member", f.s.DeleteMember(f.ctx, acme.ID, bob.ID), errs.NotFound)
			// A missing parent inside a transaction leaves it usable.
			f.ok(f.s.Tx(f.ctx, func(q meta.Queries) error {
				wantKind(t, "missing user in Tx", q.PutMember(f.ctx, &meta.Member{NamespaceID: acme.ID, UserID: 999999, Role: meta.MemberMember}), errs.NotFound)
				return q.PutMember(f.ctx, &meta.Member{NamespaceID: acme.ID, UserID: bob.ID, Role: meta.MemberMember})
			}))
			f.ok(f.s.DeleteMember(f.ctx, acme.ID, bob.ID))
		}},
		{"Cascades", func(t *testing.T, f *fixture) {
			acme := f.org("acme", true)
			bob := f.person("bob", true)
			f.ok(f.s.PutMember(f.ctx, &meta.Member{NamespaceID: acme.ID, UserID: bob.ID, Role: meta.MemberOwner}))
			f.ok(f.s.DeleteUser(f.ctx, bob.ID))
			if ms, err := f.s.ListMembers(f.ctx, acme.ID); err != nil || len(ms) != 0 {
				t.Errorf("members after DeleteUser = %v, %v", ms, err)
			}
			carol := f.person("carol", true)
			f.ok(f.s.PutMember(f.ctx, &meta.Member{NamespaceID: acme.ID, UserID: carol.ID, Role: meta.MemberMember}))
			f.ok(f.s.DeleteNamespace(f.ctx, acme.ID))
			if ms, err := f.s.ListUserMembers(f.ctx, carol.ID); err != nil || len(ms) != 0 {
				t.Errorf("memberships after DeleteNamespace = %v, %v", ms, err)
			}
		}},
		{"Visibility", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			priv := f.repoIn(acme, "oci", "priv", false)
			f.repoIn(f.org("other", false), "oci", "x", false)
			reader := f.person("reader", true)
			f.ok(f.s.PutMember(f.ctx, &meta.Member{NamespaceID: acme.ID, UserID: reader.ID, Role: meta.MemberReadOnly}))
			rs, err := f.s.ListVisibleRepos(f.ctx, meta.RepoFilter{UserID: reader.ID, Type: "oci"})
			f.ok(err)
			if len(rs) != 1 || rs[0].ID != priv.ID {
				t.Errorf("a read-only member sees %v, want the organisation's repository", rs)
			}
		}},
	}
}
