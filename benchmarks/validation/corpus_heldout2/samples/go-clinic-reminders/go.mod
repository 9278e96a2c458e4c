module github.com/northclinic/reminders

go 1.22
