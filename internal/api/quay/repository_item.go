package quay

import (
	"net/http"
	"time"

	"wharf/internal/audit"
	"wharf/internal/auth"
	"wharf/internal/meta"
)

// Bounds of the figures derived from the usage log.
const (
	maxRepoTags     = 500 // tags shown with a repository
	statsDays       = 92  // days of action statistics
	maxCountedLines = 10000
)

// getRepo answers GET /api/v1/repository/{repository}.
func (h *Handler) getRepo(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	a, err := h.repoFor(r, c, auth.Pull)
	if err != nil {
		return err
	}
	starred := false
	if !c.p.Anonymous() {
		if starred, err = h.opt.Artifacts.Starred(ctx, c.p.UserID, a.repo.ID); err != nil {
			return err
		}
	}
	body := map[string]any{
		"namespace":        a.ns.Name,
		"name":             shortRepoName(a.repo.Name),
		"kind":             repoKindImage,
		"description":      a.repo.Description,
		"is_public":        a.repo.Public,
		"is_organization":  a.ns.Kind == meta.KindOrg,
		"is_starred":       starred,
		"status_token":     "",
		"trust_enabled":    a.repo.TrustEnabled,
		"tag_expiration_s": a.ns.TagExpirationSecs,
		"is_free_account":  true,
		"state":            "NORMAL",
		"can_write":        a.can(c, auth.Push),
		"can_admin":        a.can(c, auth.Admin),
	}
	if truthy(r, "includeTags", true) {
		ts, err := h.opt.Artifacts.TagSummaries(ctx, a.repo.ID, maxRepoTags)
		if err != nil {
			return err
		}
		tags := make(map[string]any, len(ts))
		for _, t := range ts {
			tags[t.Name] = map[string]any{
				"name": t.Name, "size": t.Size, "last_modified": formatDate(t.Updated), "manifest_digest": t.Digest,
			}
		}
		body["tags"] = tags
	}
	if truthy(r, "includeStats", false) {
		stats, err := h.repoStats(r, a.repo)
		if err != nil {
			return err
		}
		body["stats"] = stats
	}
	return writeJSON(w, http.StatusOK, body)
}

// repoLogLines returns the usage-log entries of a repository since since,
// newest first, at most maxCountedLines.
func (h *Handler) repoLogLines(r *http.Request, repo meta.Repository, since time.Time) ([]meta.LogEntry, error) {
	if h.opt.Audit == nil {
		return nil, nil
	}
	return h.opt.Audit.List(r.Context(), meta.LogFilter{
		RepoID: repo.ID, Start: since, End: time.Now().Add(time.Minute), Limit: maxCountedLines,
	})
}

// repoActionCount is a repository's popularity: the actions on it in the
// usage log over the last three months, counted by the store.
func (h *Handler) repoActionCount(r *http.Request, repo meta.Repository) (int, error) {
	if h.opt.Audit == nil {
		return 0, nil
	}
	return h.opt.Audit.Count(r.Context(), meta.LogFilter{
		RepoID: repo.ID, Start: time.Now().AddDate(0, 0, -statsDays), End: time.Now().Add(time.Minute), Limit: maxCountedLines,
	})
}

// repoStats counts the actions on a repository per day over the last
// statsDays days, oldest first, days without any included.
func (h *Handler) repoStats(r *http.Request, repo meta.Repository) ([]map[string]any, error) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	first := today.AddDate(0, 0, -(statsDays - 1))
	ls, err := h.repoLogLines(r, repo, first)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, l := range ls {
		counts[l.Created.UTC().Format(time.DateOnly)]++
	}
	out := make([]map[string]any, 0, statsDays)
	for d := first; !d.After(today); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		out = append(out, map[string]any{"date": day, "count": counts[day]})
	}
	return out, nil
}

// updateRepo answers PUT /api/v1/repository/{repository}: the
// description.
func (h *Handler) updateRepo(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Push)
	if err != nil {
		return err
	}
	var b struct {
		Description *string `json:"description"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	if b.Description == nil {
		return requestError("'description' is a required property")
	}
	repo, err := h.opt.Artifacts.UpdateRepo(r.Context(), a.repo.ID, func(rp *meta.Repository) { rp.Description = *b.Description })
	if err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "set_repo_description", NamespaceID: a.ns.ID, RepoID: repo.ID,
		Metadata: repoMeta(repo, map[string]any{"description": repo.Description})})
	return writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// deleteRepo answers DELETE /api/v1/repository/{repository}: the
// repository goes with its tags, versions and permissions; blobs no
// longer referenced are left to garbage collection.
func (h *Handler) deleteRepo(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	if err := h.opt.Artifacts.DeleteRepo(r.Context(), a.repo.ID); err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "delete_repo", NamespaceID: a.ns.ID, Metadata: repoMeta(a.repo, nil)})
	return writeJSON(w, http.StatusNoContent, nil)
}

// changeVisibility answers POST …/changevisibility.
func (h *Handler) changeVisibility(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	var b struct {
		Visibility *string `json:"visibility"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	switch {
	case b.Visibility == nil:
		return requestError("'visibility' is a required property")
	case *b.Visibility != "public" && *b.Visibility != "private":
		return requestError("'" + *b.Visibility + "' is not one of ['public', 'private']")
	}
	if err := h.opt.Artifacts.SetRepoPublic(r.Context(), a.repo.ID, *b.Visibility == "public"); err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "change_repo_visibility", NamespaceID: a.ns.ID, RepoID: a.repo.ID,
		Metadata: repoMeta(a.repo, map[string]any{"visibility": *b.Visibility})})
	return writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// changeTrust answers POST …/changetrust. Wharf signs nothing itself: the
// flag is stored and shown, for clients that keep it.
func (h *Handler) changeTrust(w http.ResponseWriter, r *http.Request, c *call) error {
	a, err := h.repoFor(r, c, auth.Admin)
	if err != nil {
		return err
	}
	var b struct {
		TrustEnabled *bool `json:"trust_enabled"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	if b.TrustEnabled == nil {
		return requestError("'trust_enabled' is a required property")
	}
	repo, err := h.opt.Artifacts.UpdateRepo(r.Context(), a.repo.ID, func(rp *meta.Repository) { rp.TrustEnabled = *b.TrustEnabled })
	if err != nil {
		return err
	}
	h.record(r, c, audit.Entry{Kind: "change_repo_trust", NamespaceID: a.ns.ID, RepoID: repo.ID,
		Metadata: repoMeta(repo, map[string]any{"trust_enabled": repo.TrustEnabled})})
	return writeJSON(w, http.StatusOK, map[string]any{"success": true})
}
