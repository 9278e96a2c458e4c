package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/lanternhq/gateway/v2/internal/auth/tokens"
	"github.com/lanternhq/gateway/v2/internal/httpx"
)

func main() {
	key := os.Getenv("GATEWAY_KEY")
	if len(key) < 32 {
		log.Fatal("GATEWAY_KEY must be at least 32 bytes")
	}
	signer := tokens.Signer{Key: []byte(key), TTL: 15 * time.Minute}
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		subject, _ := httpx.Subject(r.Context())
		fmt.Fprintf(w, "hello %s\n", subject)
	})
	http.Handle("/hello", httpx.RequireToken(signer, hello))
	log.Fatal(http.ListenAndServe(":9000", nil))
}
