// What the rest of the repository relies on from infra/: outputs that deploy/k8s overlays and the
// release workflow are filled from, and names shared with deploy/k8s. Changing one here means
// changing it there too.
export const terraformContract = {
  roots: {
    azure: {
      backend: 'azurerm',
      outputs: [
        'registry_login_server', 'registry_name', 'get_credentials_command', 'database_host',
        'key_vault_name', 'tenant_id', 'database_url_secret_id', 'admin_token_secret_id',
        'chatd_identity_client_id', 'github_actions_client_id', 'subscription_id', 'chat_host',
      ],
      mustMention: ['chatd-database-url', 'chatd-admin-token', 'system:serviceaccount:chatd:chatd'],
    },
    gcp: {
      backend: 'gcs',
      outputs: [
        'registry_url', 'registry_host', 'get_credentials_command', 'database_host',
        'database_url_secret_id', 'admin_token_secret_id', 'chatd_service_account_email',
        'ingress_ip_name', 'ingress_ip_address', 'github_workload_identity_provider',
        'github_service_account_email', 'chat_host',
      ],
      mustMention: ['chatd-database-url', 'chatd-admin-token', '.svc.id.goog[chatd/chatd]', 'immutable_tags'],
    },
  },
  // The production example must only ever appear in example.tfvars and docs.
  forbiddenLiterals: ['jungyu.store'],
};
