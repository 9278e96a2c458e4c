module github.com/postbox/relay

go 1.22
