module github.com/tidewater/backup-agent

go 1.22
