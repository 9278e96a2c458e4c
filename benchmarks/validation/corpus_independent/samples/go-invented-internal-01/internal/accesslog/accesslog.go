// Package accesslog wraps handlers with access logging.
package accesslog

import (
	"log"
	"net/http"
	"time"
)

// Wrap logs method, path and duration of every request.
func Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		log.Printf("%s %s %s", r.Method, r.URL.Path, time.Since(start))
	})
}
