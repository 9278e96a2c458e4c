"""Operations tooling: backups and deployments. The running service never imports this."""
