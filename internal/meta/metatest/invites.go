package metatest

import (
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func inviteTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			boss, bob := f.user("boss"), f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			before := time.Now()
			byUser := meta.Invite{TeamID: team.ID, UserID: bob.ID, InviterID: boss.ID, Code: "code-user"}
			f.ok(f.s.CreateInvite(f.ctx, &byUser))
			if byUser.ID == 0 {
				t.Fatal("CreateInvite did not set ID")
			}
			wantStamp(t, "Created", byUser.Created, before)
			byMail := meta.Invite{TeamID: team.ID, Email: "New@Example.com", Code: "code-mail"}
			f.ok(f.s.CreateInvite(f.ctx, &byMail))
			for _, want := range []meta.Invite{byUser, byMail} {
				got, err := f.s.GetInvite(f.ctx, want.Code)
				f.ok(err)
				wantEqual(t, "GetInvite("+want.Code+")", got, want)
			}
			_, err := f.s.GetInvite(f.ctx, "code-none")
			wantKind(t, "GetInvite(missing)", err, errs.NotFound)
		}},
		{"Exists", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			bob := f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			ops := f.team(acme.ID, "ops", meta.TeamMember)
			f.ok(f.s.CreateInvite(f.ctx, &meta.Invite{TeamID: team.ID, UserID: bob.ID, Code: "c1"}))
			f.ok(f.s.CreateInvite(f.ctx, &meta.Invite{TeamID: team.ID, Email: "a@example.com", Code: "c2"}))
			for _, c := range []struct {
				what string
				inv  meta.Invite
			}{
				{"the same user", meta.Invite{TeamID: team.ID, UserID: bob.ID, Code: "c3"}},
				{"the same address", meta.Invite{TeamID: team.ID, Email: "A@Example.COM", Code: "c4"}},
				{"a taken code", meta.Invite{TeamID: ops.ID, Email: "b@example.com", Code: "c1"}},
			} {
				inv := c.inv
				wantKind(t, "CreateInvite("+c.what+")", f.s.CreateInvite(f.ctx, &inv), errs.Exists)
			}
			// The same user and address in another team are fine.
			f.ok(f.s.CreateInvite(f.ctx, &meta.Invite{TeamID: ops.ID, UserID: bob.ID, Code: "c5"}))
			f.ok(f.s.CreateInvite(f.ctx, &meta.Invite{TeamID: ops.ID, Email: "a@example.com", Code: "c6"}))
			invs, err := f.s.ListTeamInvites(f.ctx, team.ID)
			f.ok(err)
			if len(invs) != 2 {
				t.Errorf("refused invitations were written: %+v", invs)
			}
		}},
		{"List", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			bob, carol := f.user("bob"), f.user("carol")
			devs := f.team(acme.ID, "devs", meta.TeamMember)
			ops := f.team(acme.ID, "ops", meta.TeamCreator)
			add := func(teamID, userID int64, email, code string) meta.Invite {
				t.Helper()
				inv := meta.Invite{TeamID: teamID, UserID: userID, Email: email, InviterID: carol.ID, Code: code}
				f.ok(f.s.CreateInvite(f.ctx, &inv))
				tick()
				return inv
			}
			i1 := add(ops.ID, bob.ID, "", "i1")
			i2 := add(devs.ID, 0, "Bob@Example.com", "i2")
			i3 := add(devs.ID, carol.ID, "", "i3")
			i4 := add(devs.ID, bob.ID, "", "i4")
			i5 := add(ops.ID, 0, "someone@example.com", "i5")

			got, err := f.s.ListTeamInvites(f.ctx, devs.ID)
			f.ok(err)
			wantEqual(t, "ListTeamInvites(devs)", got, []meta.Invite{i2, i3, i4})
			got, err = f.s.ListTeamInvites(f.ctx, ops.ID)
			f.ok(err)
			wantEqual(t, "ListTeamInvites(ops)", got, []meta.Invite{i1, i5})

			cases := []struct {
				name   string
				userID int64
				email  string
				want   []meta.Invite
			}{
				{"user and address", bob.ID, "bob@EXAMPLE.com", []meta.Invite{i1, i2, i4}},
				{"user only", bob.ID, "", []meta.Invite{i1, i4}},
				{"empty address matches no user invitation", carol.ID, "", []meta.Invite{i3}},
				{"address only", 0, "SOMEONE@example.com", []meta.Invite{i5}},
				{"nobody", 0, "", nil},
				{"unknown", bob.ID + 1000, "nobody@example.com", nil},
			}
			for _, c := range cases {
				got, err := f.s.ListUserInvites(f.ctx, c.userID, c.email)
				f.ok(err)
				wantEqual(t, "ListUserInvites "+c.name, got, c.want)
			}
		}},
		{"Delete", func(t *testing.T, f *fixture) {
			acme := f.org("acme", false)
			bob := f.user("bob")
			team := f.team(acme.ID, "devs", meta.TeamMember)
			inv := meta.Invite{TeamID: team.ID, UserID: bob.ID, Code: "c1"}
			f.ok(f.s.CreateInvite(f.ctx, &inv))
			kept := meta.Invite{TeamID: team.ID, Email: "x@example.com", Code: "c2"}
			f.ok(f.s.CreateInvite(f.ctx, &kept))
			f.ok(f.s.DeleteInvite(f.ctx, inv.ID))
			_, err := f.s.GetInvite(f.ctx, "c1")
			wantKind(t, "GetInvite after delete", err, errs.NotFound)
			got, err := f.s.ListTeamInvites(f.ctx, team.ID)
			f.ok(err)
			wantEqual(t, "ListTeamInvites", got, []meta.Invite{kept})
			wantKind(t, "DeleteInvite again", f.s.DeleteInvite(f.ctx, inv.ID), errs.NotFound)
			// The user may be invited again.
			again := meta.Invite{TeamID: team.ID, UserID: bob.ID, Code: "c3"}
			f.ok(f.s.CreateInvite(f.ctx, &again))
		}},
	}
}
