// Package distribution is Wharf's OCI Distribution front at /v2/: the registry API
// that podman, skopeo, buildah, oras, crane and the container runtimes
// speak, with Docker token authentication. It translates the protocol into
// calls on the artifact core and the auth service and owns everything
// protocol-specific: routing from the tail of the path, challenges, the
// errors envelope and response headers.
package distribution
