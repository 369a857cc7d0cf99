package habitat

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// uploadPackage stores the .hart in the request body, streamed to the
// depot. The target only serves the check for an existing release.
func (h *Handler) uploadPackage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ident := identIn(r)
	q := r.URL.Query()
	target := q.Get("target")
	if target == "" {
		target = agentTarget(r.Header.Get("User-Agent"))
	}
	_, err := h.opt.Depot.Upload(r.Context(), p, depot.UploadRequest{
		Ident: ident, Target: target, Checksum: q.Get("checksum"), Forced: boolParam(r, "forced"), Body: r.Body,
	})
	if errs.Is(err, errs.Exists) {
		// Builder's 409 has no body; hab reads it as "already there".
		return fail(http.StatusConflict, "")
	}
	if err != nil {
		return err
	}
	return writeCreated(w, r.URL.RequestURI(), "/pkgs/"+ident.String()+"/download")
}

// deletePackage removes a release for a target; the depot refuses one in
// "stable" or depended on with Builder's 422s.
func (h *Handler) deletePackage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	target, err := targetOf(r)
	if err != nil {
		return err
	}
	if err := h.opt.Depot.DeletePackage(r.Context(), p, identIn(r), target); err != nil {
		return err
	}
	return uncached(w, http.StatusNoContent)
}

// setVisibility makes every target of an ident public or private; no one
// may set a release hidden.
func (h *Handler) setVisibility(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	v := r.PathValue("visibility")
	if v == meta.VisibilityHidden {
		return fail(http.StatusUnprocessableEntity, "Not allowed to set packages to 'hidden'")
	}
	if err := h.opt.Depot.SetVisibility(r.Context(), p, identIn(r), v); err != nil {
		return err
	}
	return uncached(w, http.StatusOK)
}

// downloadPackage streams a release's .hart with the headers hab needs
// (X-Filename names the file it saves). HEAD gets the headers only.
func (h *Handler) downloadPackage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	target, err := targetOf(r)
	if err != nil {
		return err
	}
	d, err := h.opt.Depot.Download(r.Context(), p, identIn(r), target)
	if err != nil {
		return err
	}
	defer d.Body.Close()
	name := d.FileName()
	hd := w.Header()
	hd.Set("Content-Type", "application/octet-stream")
	hd.Set("Content-Disposition", `attachment; filename="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)+`"`)
	hd.Set("X-Filename", name)
	size := d.Size
	if size <= 0 {
		size = d.Body.Size()
	}
	hd.Set("Content-Length", strconv.FormatInt(size, 10))
	hd.Set("Cache-Control", h.artifactCache(d.Release.Visibility))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	if _, err := io.Copy(w, d.Body); err != nil {
		// The status is out: the client sees a short body.
		h.log.WarnContext(r.Context(), "habitat download cut short", "err", err, "path", r.URL.Path)
	}
	return nil
}

// artifactCache is the Cache-Control of a release's .hart and of its
// fully qualified JSON: public for a year when anyone may fetch it; for a
// private release the configured max-age, in the caller's cache only
// (Builder says public there, which would let a shared cache hand a
// member's copy to anyone).
func (h *Handler) artifactCache(visibility string) string {
	if visibility == meta.VisibilityPrivate {
		return "private, max-age=" + strconv.Itoa(int(h.opt.PrivateMaxAge.Seconds()))
	}
	return longPublic
}
