// Package auth is Wharf's access control: accounts and their credentials,
// the Principal a request acts as, scopes that restrict what a credential may
// do, the one Authorizer every front asks, and the tokens Wharf issues.
//
// The flow of a request:
//
//  1. A front reads the Authorization header with ParseAuthorization.
//  2. Service.Authenticate turns the Credentials into a Principal: a user
//     (by password, API token or a JWT issued by Signer) or the anonymous
//     zero value. Wrong credentials fail with errs.Unauthenticated.
//  3. Before each operation the front asks Authorizer.Can whether the
//     Principal may perform an Action on a repository. Every front asks the
//     same question, so access rules live only here.
//
// Rights come from two places. A user's own rights follow from the
// namespace a repository lives in (the first component of its name), the
// user's flags and the repository's visibility; see Authorizer.Can. A
// credential may narrow them: an API token with scopes or a registry JWT
// carries Grants, and a Restricted Principal may do only what both its
// Grants and the user's rights allow. Grants never widen a user's rights.
//
// Scopes are the textual form of Grants, stored on API tokens:
//
//	pull | push | delete | *                   every repository
//	read | read:package                        pull everywhere
//	write | write:package                      push and delete everywhere
//	repository:<name>:<action>[,<action>...]   one repository
//	repository:<prefix>*:<action>[,...]        repositories whose name starts with prefix
//
// Global words combine with commas ("pull,push"); each scope of a token is
// one Grant, and a token's grants add up.
//
// Docker token-auth requests use the Docker scope grammar instead; see
// ParseRequestScopes.
//
// Secrets are never stored: passwords as argon2id hashes, API tokens as
// sha256 hashes. Errors wrap the kinds of package errs.
package auth
