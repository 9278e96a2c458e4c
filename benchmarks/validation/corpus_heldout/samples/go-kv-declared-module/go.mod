module example.com/tinykv

go 1.19

require (
	github.com/google/uuid v1.6.0
	golang.org/x/time v0.5.0
)
