package distribution

import (
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"wharf/internal/errs"
	"wharf/internal/format/oci"
)

// parseDigest checks a digest from a path or query.
func parseDigest(s string) (string, error) {
	d, err := oci.ParseDigest(s)
	if err != nil {
		return "", newError(codeDigestInvalid, errs.Message(err))
	}
	return d.String(), nil
}

func (h *Handler) getBlob(w http.ResponseWriter, r *http.Request, req *request) error {
	digest, err := parseDigest(req.route.Ref)
	if err != nil {
		return err
	}
	repo, err := h.repo(r, req)
	if err != nil {
		return err
	}
	hd := w.Header()
	if r.Method == http.MethodHead {
		b, err := h.opt.Artifacts.StatBlob(r.Context(), repo.ID, digest)
		if err != nil {
			return as(err, errs.NotFound, codeBlobUnknown)
		}
		hd.Set("Content-Length", strconv.FormatInt(b.Size, 10))
		hd.Set("Content-Type", "application/octet-stream")
		hd.Set("Docker-Content-Digest", digest)
		hd.Set("Accept-Ranges", "bytes")
		hd.Set("Etag", `"`+digest+`"`)
		w.WriteHeader(http.StatusOK)
		return nil
	}
	_, rd, err := h.opt.Artifacts.OpenBlob(r.Context(), repo.ID, digest)
	if err != nil {
		return as(err, errs.NotFound, codeBlobUnknown)
	}
	defer rd.Close()
	hd.Set("Content-Type", "application/octet-stream")
	hd.Set("Docker-Content-Digest", digest)
	hd.Set("Etag", `"`+digest+`"`)
	hd.Set("Cache-Control", "max-age=31536000")
	// Hand net/http the file itself where there is one, so it can send it
	// without copying through user space.
	var content io.ReadSeeker = rd
	if f, ok := rd.(interface{ File() *os.File }); ok {
		content = f.File()
	}
	http.ServeContent(w, r, "", time.Time{}, content)
	return nil
}

func (h *Handler) deleteBlob(w http.ResponseWriter, r *http.Request, req *request) error {
	digest, err := parseDigest(req.route.Ref)
	if err != nil {
		return err
	}
	repo, err := h.repo(r, req)
	if err != nil {
		return err
	}
	if err := h.opt.Artifacts.UnlinkBlob(r.Context(), repo.ID, digest); err != nil {
		return as(err, errs.NotFound, codeBlobUnknown)
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}
