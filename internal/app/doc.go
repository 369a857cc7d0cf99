// Package app wires Wharf together: configuration to stores, stores to
// services, services to the HTTP fronts, and the fronts to one server with
// its background work. It is the only package that imports every other.
package app
