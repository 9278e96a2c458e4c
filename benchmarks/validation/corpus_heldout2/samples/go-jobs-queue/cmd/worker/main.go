package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/quillworks/jobs/store"
)

type handler func(ctx context.Context, payload []byte) error

var handlers = map[string]handler{
	"noop": func(ctx context.Context, payload []byte) error { return nil },
}

func backoff(attempts int) time.Duration {
	d := time.Duration(1<<min(attempts, 10)) * time.Second
	return min(d, 30*time.Minute)
}

func main() {
	host, _ := os.Hostname()
	worker := fmt.Sprintf("%s-%d", host, os.Getpid())

	st, err := store.NewStore(os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	for ctx.Err() == nil {
		job, err := st.Claim(ctx, worker)
		if errors.Is(err, store.ErrEmpty) {
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second):
			}
			continue
		}
		if err != nil {
			log.Printf("claim: %v", err)
			time.Sleep(5 * time.Second)
			continue
		}
		h, ok := handlers[job.Kind]
		var jobErr error
		if !ok {
			jobErr = fmt.Errorf("no handler for kind %q", job.Kind)
		} else {
			jobCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
			jobErr = h(jobCtx, job.Payload)
			cancel()
		}
		if err := st.Finish(context.Background(), job.ID, jobErr, backoff(job.Attempts)); err != nil {
			log.Printf("finish job %d: %v", job.ID, err)
		}
	}
	log.Print("worker stopped")
}
