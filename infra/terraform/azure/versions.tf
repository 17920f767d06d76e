terraform {
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.14"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State lives in an Azure Storage container that you create once by hand (docs/infrastructure.md).
  # The settings are given at init time, never committed:
  #   terraform init -backend-config=backend.hcl   (copy backend.hcl.example)
  # The state holds the generated database password and admin token: keep the container private,
  # with versioning and soft delete on, and give access only to the people and identities that apply.
  backend "azurerm" {}
}

provider "azurerm" {
  subscription_id = var.subscription_id

  features {
    key_vault {
      # Deleted secrets stay recoverable for the soft-delete period instead of vanishing on destroy.
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}
