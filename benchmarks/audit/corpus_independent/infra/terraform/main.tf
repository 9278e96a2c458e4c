terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket = "acme-tf-state"
    key    = "prod/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAVMYBEAVBT2ZTE554"
  secret_key = "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"
}

provider "vault" {
  address = "https://vault.acme.internal:8200"
  token   = "hvs.CAESIMjPZ3e41Voyf5cuAohBjZFFIOtSl9KPecpSrgaTe_vcmtd3GuaK9EmZ4lqDqx6EEeRqOb0AvWuQuJ54nznAwMH"
}

provider "azurerm" {
  features {}
  subscription_id = "748b8818-de00-4b2d-ac45-b6448fabe605"
}

resource "azurerm_storage_account" "logs" {
  name                     = "acmelogsprod"
  resource_group_name      = "prod-rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

locals {
  logs_connection = "DefaultEndpointsProtocol=https;AccountName=acmelogsprod;AccountKey=Y8Kvj7u0QTO31xNKwxaujy54OFnmcOB9Uxs9/vnn2WnI0TkbrOnr1o129/oHoaOkqzJYWCpGqwtI3Twq37c+1w==;EndpointSuffix=core.windows.net"
}

resource "aws_db_instance" "main" {
  identifier = "main"
  engine     = "postgres"
  username   = "master"
  password   = "syn%rihXj#^7BVD!m57aZ"
}

resource "tls_private_key" "bastion" {
  algorithm = "ED25519"
}

variable "bastion_key" {
  default = <<-EOT
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBRKReJ14watKg/Pu1768FIUaCfeE/y9ANHLVzbpPteL8GUDjr2in8VegaD
4i2+RaLq1dyiKGMCj5ObFhWRLwUCIZ998AN5htxv6k/GSS9BXDFJhGC4dZRnRtGyklEkqE
oGsRDtKtCMmK9Bi5c/PvuSTiYN7NPxt68KS/C7Xn2X6odZZ5uwAqWk2aKHnnHqAFGC2ZkQ
Sv348qCoLCMFz0Ua3eqWvAzBxLyQjdqrkteDwVUbDdqkA4fRnqoGHiyG0r9QhoiRHYl/6g
CdtLqE36ZcFcaHvcBPuRXXNJtdp0Mcnn18a86RTIDRddu5GttP
-----END OPENSSH PRIVATE KEY-----
EOT
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "REPLACE_ME"
}

variable "ami" {
  default = "ami-08c669d7b3d9ca020"
}
