package distribution

import (
	"encoding/json"
	"net/http"

	"wharf/internal/format/oci"
)

func (h *Handler) referrers(w http.ResponseWriter, r *http.Request, req *request) error {
	digest, err := parseDigest(req.route.Ref)
	if err != nil {
		return err
	}
	repo, err := h.repo(r, req)
	if err != nil {
		return err
	}
	artifactType := r.URL.Query().Get("artifactType")
	vs, err := h.opt.Artifacts.Referrers(r.Context(), repo.ID, digest, artifactType)
	if err != nil {
		return err
	}
	type descriptor struct {
		MediaType    string          `json:"mediaType"`
		Size         int64           `json:"size"`
		Digest       string          `json:"digest"`
		ArtifactType string          `json:"artifactType,omitempty"`
		Annotations  json.RawMessage `json:"annotations,omitempty"`
	}
	index := struct {
		SchemaVersion int          `json:"schemaVersion"`
		MediaType     string       `json:"mediaType"`
		Manifests     []descriptor `json:"manifests"`
	}{2, oci.MediaTypeImageIndex, []descriptor{}}
	for _, v := range vs {
		index.Manifests = append(index.Manifests, descriptor{v.MediaType, v.Size, v.Version, v.ArtifactType, v.Annotations})
	}
	if artifactType != "" {
		w.Header().Set("OCI-Filters-Applied", "artifactType")
	}
	return writeJSON(w, oci.MediaTypeImageIndex, index)
}
