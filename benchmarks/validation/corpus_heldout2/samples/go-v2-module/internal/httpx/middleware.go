// Package httpx holds HTTP middleware shared by the gateway's servers.
package httpx

import (
	"context"
	"net/http"
	"strings"

	"github.com/lanternhq/gateway/v2/internal/auth/tokens"
)

type ctxKey struct{}

// Subject returns the authenticated subject stored by RequireToken.
func Subject(ctx context.Context) (string, bool) {
	s, ok := ctx.Value(ctxKey{}).(string)
	return s, ok
}

// RequireToken rejects requests without a valid bearer token.
func RequireToken(signer tokens.Signer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "missing bearer token", http.StatusUnauthorized)
			return
		}
		subject, err := signer.Verify(raw)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, subject)))
	})
}
