module gitea.example.net/courier/zones

go 1.22
