module github.com/ferrylane/tool

go 1.22

require golang.org/x/mod v0.14.0
