package metatest

import (
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func prototypeTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			bob, carol := f.user("bob"), f.user("carol")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			before := time.Now()
			byUser := meta.Prototype{UUID: "p-user", NamespaceID: acme.ID, ActivatingUserID: bob.ID,
				DelegateUserID: carol.ID, Role: meta.RoleAdmin}
			f.ok(f.s.CreatePrototype(f.ctx, &byUser))
			if byUser.ID == 0 {
				t.Fatal("CreatePrototype did not set ID")
			}
			wantStamp(t, "Created", byUser.Created, before)
			byTeam := meta.Prototype{UUID: "p-team", NamespaceID: acme.ID, DelegateTeamID: team.ID, Role: meta.RoleRead}
			f.ok(f.s.CreatePrototype(f.ctx, &byTeam))
			for _, want := range []meta.Prototype{byUser, byTeam} {
				got, err := f.s.GetPrototype(f.ctx, acme.ID, want.UUID)
				f.ok(err)
				wantEqual(t, "GetPrototype("+want.UUID+")", got, want)
			}
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			other := f.org("other", false)
			bob := f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			p := meta.Prototype{UUID: "p1", NamespaceID: acme.ID, DelegateUserID: bob.ID, Role: meta.RoleRead}
			f.ok(f.s.CreatePrototype(f.ctx, &p))
			for _, c := range []struct {
				what string
				p    meta.Prototype
				kind errs.Kind
			}{
				{"taken UUID", meta.Prototype{UUID: "p1", NamespaceID: other.ID, DelegateUserID: bob.ID, Role: meta.RoleRead}, errs.Exists},
				{"user and team", meta.Prototype{UUID: "p2", NamespaceID: acme.ID, DelegateUserID: bob.ID, DelegateTeamID: team.ID, Role: meta.RoleRead}, errs.Invalid},
				{"no delegate", meta.Prototype{UUID: "p3", NamespaceID: acme.ID, Role: meta.RoleRead}, errs.Invalid},
				{"unknown role", meta.Prototype{UUID: "p4", NamespaceID: acme.ID, DelegateTeamID: team.ID, Role: "owner"}, errs.Invalid},
			} {
				wantKind(t, "CreatePrototype("+c.what+")", f.s.CreatePrototype(f.ctx, &c.p), c.kind)
			}
			_, err := f.s.GetPrototype(f.ctx, other.ID, "p1")
			wantKind(t, "GetPrototype(other namespace)", err, errs.NotFound)
			_, err = f.s.GetPrototype(f.ctx, acme.ID, "p9")
			wantKind(t, "GetPrototype(missing)", err, errs.NotFound)
			list, err := f.s.ListPrototypes(f.ctx, acme.ID)
			f.ok(err)
			wantEqual(t, "ListPrototypes", list, []meta.Prototype{p})
		}},
		{"List", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			other := f.org("other", false)
			bob := f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			var want []meta.Prototype
			for _, uuid := range []string{"c", "a", "b"} {
				p := meta.Prototype{UUID: uuid, NamespaceID: acme.ID, DelegateTeamID: team.ID, Role: meta.RoleWrite}
				f.ok(f.s.CreatePrototype(f.ctx, &p))
				want = append(want, p)
				tick()
			}
			theirs := meta.Prototype{UUID: "d", NamespaceID: other.ID, DelegateUserID: bob.ID, Role: meta.RoleRead}
			f.ok(f.s.CreatePrototype(f.ctx, &theirs))
			got, err := f.s.ListPrototypes(f.ctx, acme.ID)
			f.ok(err)
			wantEqual(t, "ListPrototypes", got, want)
			got, err = f.s.ListPrototypes(f.ctx, other.ID)
			f.ok(err)
			wantEqual(t, "ListPrototypes(other)", got, []meta.Prototype{theirs})
		}},
		{"UpdateDelete", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			bob, carol := f.user("bob"), f.user("carol")
			p := meta.Prototype{UUID: "p1", NamespaceID: acme.ID, DelegateUserID: bob.ID, Role: meta.RoleRead}
			f.ok(f.s.CreatePrototype(f.ctx, &p))
			upd := p
			upd.UUID, upd.ActivatingUserID, upd.DelegateUserID, upd.Created = "p2", carol.ID, carol.ID, p.Created.Add(time.Hour)
			upd.Role = meta.RoleAdmin
			f.ok(f.s.UpdatePrototype(f.ctx, upd))
			want := p
			want.Role = meta.RoleAdmin
			got, err := f.s.GetPrototype(f.ctx, acme.ID, "p1")
			f.ok(err)
			wantEqual(t, "updated prototype", got, want)
			bad := want
			bad.Role = "owner"
			wantKind(t, "UpdatePrototype(unknown role)", f.s.UpdatePrototype(f.ctx, bad), errs.Invalid)
			upd.ID += 1000
			wantKind(t, "UpdatePrototype(missing)", f.s.UpdatePrototype(f.ctx, upd), errs.NotFound)

			f.ok(f.s.DeletePrototype(f.ctx, p.ID))
			_, err = f.s.GetPrototype(f.ctx, acme.ID, "p1")
			wantKind(t, "GetPrototype after delete", err, errs.NotFound)
			wantKind(t, "DeletePrototype again", f.s.DeletePrototype(f.ctx, p.ID), errs.NotFound)
		}},
	}
}
