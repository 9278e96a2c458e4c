module github.com/lanternhq/gateway/v2

go 1.22
