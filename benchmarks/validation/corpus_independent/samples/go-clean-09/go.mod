module example.com/fleetops

go 1.21
