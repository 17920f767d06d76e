terraform {
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.14"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State lives in a GCS bucket that you create once by hand (docs/infrastructure.md). The bucket is
  # given at init time, never committed:
  #   terraform init -backend-config=backend.hcl   (copy backend.hcl.example)
  # The state holds the generated database password and admin token: keep the bucket private, with
  # uniform bucket-level access and object versioning on.
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
}
