module github.com/brightmarsh/fanout

go 1.24
